package io.streamwreck.adapter.forward;

import io.streamwreck.adapter.staging.StagingException;
import io.streamwreck.adapter.staging.StagingStore;
import io.streamwreck.adapter.staging.StagingStore.Claimed;
import io.streamwreck.adapter.staging.StagingStore.Written;
import io.streamwreck.core.retry.Backoff;
import io.streamwreck.producer.KinesisWriter;
import io.streamwreck.producer.OutgoingRecord;
import io.streamwreck.producer.RecordNotWrittenException;
import io.streamwreck.producer.WriteResult;
import io.streamwreck.producer.WriterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The Kinesis worker: claims unwritten lines ({@code FOR UPDATE SKIP LOCKED}, a lease per line, so several
 * instances share one database), writes each with the producer's {@link KinesisWriter} — partition key
 * {@code <file id>:<line>}, so every copy in the stream names its source — and appends the key each put got to
 * its line.
 *
 * <p>At least once: a line whose put failed (its writer deadline passed) is released and claimed again; a line
 * whose instance died before its key was recorded is claimed again once its lease has passed. Either way a put
 * whose outcome was unknown may have stored a copy: the line's {@code claims} and {@code put_attempts} say so,
 * and the stream-checker finds the copy by its partition key. The lease is longer than the writer's deadline, so
 * a live instance's line is never claimed twice.
 */
public final class KinesisForwarder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KinesisForwarder.class);
    private static final int RECORD_BATCH = 500;

    /** How the worker behaves. */
    public record Settings(int claimBatch, int maxInFlight, Duration lease, Duration idlePoll, Function<String, WriterSettings> writerSettings) {
    }

    private final KinesisAsyncClient kinesis;
    private final StagingStore store;
    private final Settings settings;
    private final Map<String, KinesisWriter> writers = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failedPuts = new AtomicLong();
    private final AtomicLong retriedPuts = new AtomicLong();
    private final AtomicLong claimed = new AtomicLong();
    private final Backoff backoff = Backoff.of(Duration.ofMillis(200), Duration.ofSeconds(5));
    private final Object signal = new Object();
    private final Thread claimer;
    private final Thread recorder;
    private volatile boolean stopped;
    private volatile String lastError = "";

    private record Outcome(Claimed line, WriteResult result, Throwable error) {
    }

    public KinesisForwarder(KinesisAsyncClient kinesis, StagingStore store, Settings settings) {
        this.kinesis = kinesis;
        this.store = store;
        this.settings = settings;
        this.claimer = new Thread(this::claimLoop, "adapter-forward-claim");
        this.recorder = new Thread(this::recordLoop, "adapter-forward-record");
        claimer.setDaemon(true);
        recorder.setDaemon(true);
    }

    public void start() {
        claimer.start();
        recorder.start();
    }

    /** Lines claimed by this instance whose key is not recorded yet. */
    public int inFlight() {
        return inFlight.get();
    }

    public long written() {
        return written.get();
    }

    public long failedPuts() {
        return failedPuts.get();
    }

    /** Lines whose successful put took more than one PutRecords attempt (their earlier outcome was unknown or failed). */
    public long retriedPuts() {
        return retriedPuts.get();
    }

    public long claimed() {
        return claimed.get();
    }

    public String lastError() {
        return lastError;
    }

    /** Looks for work at once (new lines were staged). */
    public void wakeUp() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void claimLoop() {
        int failures = 0;
        while (!stopped) {
            try {
                int room = settings.maxInFlight() - inFlight.get();
                if (room <= 0) {
                    await(settings.idlePoll());
                    continue;
                }
                List<Claimed> lines = store.claimLines(Math.min(room, settings.claimBatch()), settings.lease());
                if (lines.isEmpty()) {
                    await(settings.idlePoll());
                    continue;
                }
                claimed.addAndGet(lines.size());
                inFlight.addAndGet(lines.size());
                boolean refused = false;
                for (int i = 0; i < lines.size(); i++) {
                    Claimed line = lines.get(i);
                    if (stopped) {
                        // Closing: no new writer (its client may be closing too); the line goes back at once.
                        outcomes.add(new Outcome(line, null, new IllegalStateException("the adapter is stopping")));
                        continue;
                    }
                    try {
                        KinesisWriter writer = writer(line.stream());
                        writer.write(OutgoingRecord.of(line.partitionKey(), line.data()).withId(line.partitionKey()))
                                .whenComplete((result, error) -> outcomes.add(new Outcome(line, result, unwrap(error))));
                    } catch (RuntimeException e) {
                        // No writer (the stream cannot be listed) or a record Kinesis would refuse: released, retried later.
                        outcomes.add(new Outcome(line, null, e));
                        refused = true;
                    }
                }
                if (refused) {
                    // Released again at once: wait before claiming them again rather than spin.
                    sleepQuietly(backoff.delay(++failures));
                } else {
                    failures = 0;
                }
            } catch (StagingException e) {
                failures++;
                note("claiming lines: " + e.getMessage());
                sleepQuietly(backoff.delay(failures));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private KinesisWriter writer(String stream) {
        return writers.computeIfAbsent(stream, s -> KinesisWriter.start(kinesis, settings.writerSettings().apply(s)));
    }

    private void recordLoop() {
        List<Outcome> batch = new ArrayList<>();
        int failures = 0;
        while (!(stopped && inFlight.get() == 0 && outcomes.isEmpty()) || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Outcome first = outcomes.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (stopped) {
                            return;
                        }
                        continue;
                    }
                    batch.add(first);
                }
                outcomes.drainTo(batch, RECORD_BATCH - batch.size());
                List<Written> ok = new ArrayList<>();
                List<Written> bad = new ArrayList<>();
                for (Outcome o : batch) {
                    if (o.error() == null) {
                        ok.add(new Written(o.line().fileId(), o.line().line(), o.result().key().toString(), o.result().attempts()));
                    } else {
                        int attempts = o.error() instanceof RecordNotWrittenException r ? r.attempts() : 0;
                        bad.add(new Written(o.line().fileId(), o.line().line(), null, attempts));
                    }
                }
                // Until both are recorded the keys stay here: a key that never reaches the database makes its
                // line look unwritten, so it would be written again.
                store.recordWritten(ok);
                store.releaseLines(bad);
                failures = 0;
                written.addAndGet(ok.size());
                failedPuts.addAndGet(bad.size());
                retriedPuts.addAndGet(ok.stream().filter(w -> w.attempts() > 1).count());
                if (!bad.isEmpty()) {
                    Throwable first = batch.stream().filter(o -> o.error() != null).findFirst().get().error();
                    note(bad.size() + " puts failed and go back to the queue: " + first.getMessage());
                }
                inFlight.addAndGet(-batch.size());
                batch.clear();
                wakeUp();
            } catch (StagingException e) {
                failures++;
                note("recording keys: " + e.getMessage() + " (kept, retrying)");
                sleepQuietly(backoff.delay(failures));
            } catch (InterruptedException e) {
                return;
            }
        }
    }


    private void note(String message) {
        lastError = message;
        log.warn("forward: {}", message);
    }

    private void await(Duration d) throws InterruptedException {
        synchronized (signal) {
            if (!stopped) {
                signal.wait(Math.max(1, d.toMillis()));
            }
        }
    }

    private void sleepQuietly(Duration d) {
        try {
            await(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until no line is claimable and nothing this instance claimed is unrecorded, or {@code timeout}.
     *
     * @param moreComing true while lines may still be staged (this instance's ingests are running)
     * @return whether it drained
     */
    public boolean drain(Duration timeout, java.util.function.BooleanSupplier moreComing) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            writers.values().forEach(KinesisWriter::flush);
            if (inFlight.get() == 0 && !moreComing.getAsBoolean()) {
                try {
                    if (store.drainableCount() == 0) {
                        return true;
                    }
                } catch (StagingException e) {
                    note("counting unwritten lines: " + e.getMessage());
                }
            }
            wakeUp();
            TimeUnit.MILLISECONDS.sleep(Math.min(200, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        }
        return false;
    }

    /**
     * Claims no more lines, waits (at most the writer's deadline, by {@link KinesisWriter#close()}) for the puts
     * in flight and records their keys. Lines still claimed keep their lease and are written by the next owner.
     */
    @Override
    public void close() {
        stopped = true;
        wakeUp();
        try {
            // The claimer may be starting a writer (listing shards: at most a call time-out and 5 s).
            claimer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (KinesisWriter w : writers.values()) {
            try {
                w.close();
            } catch (RuntimeException e) {
                log.debug("closing a writer: {}", e.toString());
            }
        }
        try {
            recorder.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
