package io.streamwreck.streamchecker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.KeyStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Asks the checker while the shards are still being read: each shard reader fills batches of keys (one shard
 * per batch, in stream order — how the ledger looks them up fastest) and hands each full batch to a few
 * checking threads, so reading Kinesis and asking the checker overlap instead of taking turns.
 *
 * <p>At most {@code batchesInFlight} batches wait or run at once; a reader that would exceed that waits, so a
 * slow checker slows the scan down rather than filling memory. The first failure stops everything: later
 * batches are refused and {@link #finish()} throws it.
 */
final class CheckPipeline implements AutoCloseable {

    private final KeyClassifier classifier;
    private final TimelineTally timeline;
    private final int batchSize;
    private final ExecutorService workers;
    private final Semaphore slots;
    private final int batchesInFlight;
    private final ConcurrentLinkedQueue<DriftedKey> drifted = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    CheckPipeline(KeyClassifier classifier, TimelineTally timeline, int batchSize, int threads, int batchesInFlight) {
        this.classifier = classifier;
        this.timeline = timeline;
        this.batchSize = batchSize;
        this.batchesInFlight = batchesInFlight;
        this.slots = new Semaphore(batchesInFlight);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "check-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Collects one shard's keys into batches; used by that shard's reader thread only. */
    final class Batcher {
        private final ShardTally tally;
        private List<RecordKey> pending;
        /** When each pending key arrived (epoch seconds), for the timeline and the drifted keys. */
        private long[] arrivals;

        private Batcher(ShardTally tally) {
            this.tally = tally;
            this.pending = new ArrayList<>(batchSize);
            this.arrivals = new long[batchSize];
        }

        void add(RecordKey key, long arrivalEpochSecond) throws InterruptedException {
            arrivals[pending.size()] = arrivalEpochSecond;
            pending.add(key);
            if (pending.size() == batchSize) {
                flush();
            }
        }

        /** Sends what is pending: call when the shard is done. */
        void flush() throws InterruptedException {
            if (!pending.isEmpty()) {
                submit(tally, pending, arrivals);
                pending = new ArrayList<>(batchSize);
                arrivals = new long[batchSize];
            }
        }
    }

    Batcher batcher(ShardTally tally) {
        return new Batcher(tally);
    }

    private void submit(ShardTally tally, List<RecordKey> batch, long[] arrivals) throws InterruptedException {
        rethrowFailure();
        slots.acquire();
        try {
            workers.execute(() -> {
                try {
                    if (failure.get() == null) {
                        check(tally, batch, arrivals);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    slots.release();
                }
            });
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    private void check(ShardTally tally, List<RecordKey> batch, long[] arrivals) throws InterruptedException {
        List<KeyStatus> statuses = tally.judge(classifier.classify(tally.shardId(), batch));
        tally.judged(statuses);
        timeline.judged(tally.shardId(), arrivals, statuses);
        for (int i = 0; i < statuses.size(); i++) {
            KeyStatus s = statuses.get(i);
            if (DriftedKey.drifted(s)) {
                drifted.add(DriftedKey.of(s, Instant.ofEpochSecond(arrivals[i])));
            }
        }
    }

    /** Waits until every batch handed over is answered; throws the first failure. */
    void finish() throws InterruptedException {
        // Every slot free again = nothing queued or running.
        slots.acquire(batchesInFlight);
        slots.release(batchesInFlight);
        rethrowFailure();
    }

    /** The drifted keys found so far, in key order. */
    List<DriftedKey> drifted() {
        List<DriftedKey> all = new ArrayList<>(drifted);
        all.sort(null);
        return all;
    }

    private void rethrowFailure() {
        Throwable t = failure.get();
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new ScanFailedException("checking keys failed: " + ScanFailedException.rootMessage(t), t);
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
