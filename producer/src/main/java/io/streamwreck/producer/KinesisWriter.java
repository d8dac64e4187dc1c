package io.streamwreck.producer;

import io.streamwreck.core.retry.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * An at-least-once Kinesis writer: every record {@link #write written} ends with its future completed — with
 * the shard and sequence number Kinesis gave it, or failed with a {@link RecordNotWrittenException} saying
 * why — and none is dropped silently.
 *
 * <h2>What it does</h2>
 * <ul>
 *   <li>Groups records into PutRecords calls of at most 500 records and 5 MiB, several calls in flight at once
 *       ({@link WriterSettings#maxCallsInFlight()}). A full call goes as soon as a call slot is free; a partial
 *       one waits up to {@link WriterSettings#linger()} for more records, and goes at most once per linger.</li>
 *   <li>Keeps every shard under a records/s and bytes/s rate ({@link WriterSettings#recordsPerSecondPerShard()}),
 *       routing each record by its explicit hash key or the MD5 of its partition key over the open shards' hash
 *       key ranges, as Kinesis does. When a response names a shard the writer does not know (a reshard), it
 *       reloads the shard list.</li>
 *   <li>Retries only the entries a PutRecords response reports as failed (throttled, internal failure), and
 *       every entry of a call that failed as a whole (time-out, lost connection, 5xx), after an exponential
 *       backoff with full jitter ({@link WriterSettings.Builder#backoff}). Errors no retry can fix (no such
 *       stream, access denied) fail the records at once.</li>
 *   <li>Gives each record a deadline ({@link WriterSettings#deadline()}) from the moment it is accepted: if no
 *       attempt has succeeded by then, its future fails with the last error — as soon as too little time is left
 *       for another attempt, rather than after a doomed one. A call never runs past the earliest deadline among
 *       its records.</li>
 *   <li>Bounds what it holds ({@link WriterSettings#maxBufferedRecords()}, {@link WriterSettings#maxBufferedBytes()}):
 *       {@link #write} blocks the caller until there is room.</li>
 *   <li>Optionally appends each written record to a {@link WrittenLog}.</li>
 * </ul>
 *
 * <h2>At least once, not exactly once</h2>
 * A call that timed out or lost its connection may still have been stored by Kinesis; the writer cannot know,
 * so it sends those entries again. The record can then be in the stream twice (the future and the written log
 * report the copy of the attempt that succeeded). Such duplicates need a time-out or a dropped connection after
 * Kinesis accepted the call, so they are rare; entries a response reports as failed were not stored and
 * their retries never duplicate. This is the trade-off that makes "never lost silently" possible.
 *
 * <h2>Order</h2>
 * Records of one shard are sent in acceptance order, but a retried record lands after records sent while it
 * was backing off: the stream's order is not the order of {@link #write} calls.
 *
 * <h2>Flush and close</h2>
 * {@link #flush()} sends what is buffered without waiting for the linger and completes once every record
 * accepted before it has finished. {@link #close()} stops accepting records, flushes, waits until every record
 * has finished (at most the deadline, as each record fails by then), stops the dispatcher thread and closes the
 * written log. It does not close the Kinesis client, which belongs to the caller.
 *
 * <h2>Threads</h2>
 * {@link #write} may be called from any number of threads. One dispatcher thread forms and sends the calls;
 * futures are completed on the SDK's response threads, so callbacks attached to them should be short, must not
 * call {@link #close()}, and must not call {@link #write} if the buffer can be full (either would wait for
 * response threads).
 */
public final class KinesisWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KinesisWriter.class);
    /**
     * No attempt starts with less time than this left before its record's deadline (or a quarter of the deadline
     * if that is shorter): it could hardly complete, would hide the record's real last error behind a time-out,
     * and could duplicate the record for nothing. The record fails at once instead.
     */
    private static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** The dispatcher re-checks its state at least this often even without a signal (a safety net, not a poll). */
    private static final long MAX_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long MIN_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long SHARD_RELOAD_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final KinesisAsyncClient kinesis;
    private final WriterSettings settings;
    private final Backoff backoff;
    private final WrittenLog writtenLog;
    private final long deadlineNanos;
    private final long lingerNanos;
    private final long callTimeoutNanos;
    private final long minAttemptNanos;
    private final Thread dispatcher;

    private final ReentrantLock lock = new ReentrantLock();
    /** The dispatcher waits on this for work: a record, a free call slot, a retry, a new shard map. */
    private final Condition work = lock.newCondition();
    /** Writers wait on this for room in the buffer; close waits on it for the last record to finish. */
    private final Condition finished = lock.newCondition();

    // Guarded by lock.
    private ShardMap shardMap;
    private ShardMap reloadedShardMap;
    private boolean shardReloadRunning;
    private long lastShardReload;
    private final ShardThrottle throttle;
    private final ShardQueues queues = new ShardQueues();
    private final PriorityQueue<PendingRecord> backingOff = new PriorityQueue<>((a, b) -> Long.compare(a.retryAt, b.retryAt));
    private final Set<PendingRecord> outstanding = new HashSet<>();
    /** Records that left {@link #outstanding} and whose futures are being completed outside the lock. */
    private final Set<PendingRecord> settling = new HashSet<>();
    private long bufferedBytes;
    private long nextOrdinal = 1;
    private int callsInFlight;
    private long lastPartialCallAt;
    private int flushesWaiting;
    private int writersWaiting;
    private boolean closing;
    private boolean stopped;

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong failedEntries = new AtomicLong();
    private final AtomicLong failedCalls = new AtomicLong();

    private KinesisWriter(KinesisAsyncClient kinesis, WriterSettings settings, ShardMap shardMap, WrittenLog writtenLog) {
        this.kinesis = kinesis;
        this.settings = settings;
        this.shardMap = shardMap;
        this.writtenLog = writtenLog;
        this.backoff = Backoff.of(settings.backoffBase(), settings.backoffCap());
        this.throttle = new ShardThrottle(settings.recordsPerSecondPerShard(), settings.bytesPerSecondPerShard());
        this.deadlineNanos = settings.deadline().toNanos();
        this.lingerNanos = settings.linger().toNanos();
        this.callTimeoutNanos = settings.callTimeout().toNanos();
        this.minAttemptNanos = Math.min(MIN_ATTEMPT_NANOS, deadlineNanos / 4);
        this.lastPartialCallAt = System.nanoTime() - lingerNanos;
        this.dispatcher = new Thread(this::dispatch, "streamwreck-writer-" + settings.streamName());
        this.dispatcher.setDaemon(true);
    }

    /**
     * Lists the stream's open shards, opens the written log if one is configured, and starts the writer.
     *
     * @throws IllegalStateException naming the stream when its shards cannot be listed (no such stream,
     *                               endpoint unreachable, access denied)
     * @throws UncheckedIOException  when the written log cannot be created
     */
    public static KinesisWriter start(KinesisAsyncClient kinesis, WriterSettings settings) {
        ShardMap map;
        try {
            map = ShardMap.load(kinesis, settings.streamName()).get(settings.callTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the shards of stream " + settings.streamName(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("listing the shards of stream " + settings.streamName() + " timed out", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot list the shards of stream " + settings.streamName() + ": "
                    + FailureClassifier.describe(e), e);
        }
        WrittenLog writtenLog = null;
        if (settings.writtenLog().isPresent()) {
            try {
                writtenLog = WrittenLog.create(settings.writtenLog().get());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the written log " + settings.writtenLog().get() + ": " + e.getMessage(), e);
            }
        }
        KinesisWriter writer = new KinesisWriter(kinesis, settings, map, writtenLog);
        writer.dispatcher.start();
        log.debug("writer started: {} open shards, {}", map.ranges().size(), settings);
        return writer;
    }

    /**
     * Accepts a record; blocks while the writer already holds its maximum of buffered records or bytes.
     *
     * @return completes with where the record was written, or fails with a {@link RecordNotWrittenException}
     * @throws IllegalStateException if the writer is closed
     * @throws InterruptedException  if interrupted while waiting for room; the record was not accepted
     */
    public CompletableFuture<WriteResult> write(OutgoingRecord record) throws InterruptedException {
        // Hash outside the lock: it is the costliest step of accepting a record.
        BigInteger hashKey = ShardMap.hashKeyOf(record);
        lock.lock();
        try {
            while (!closing && !hasRoomFor(record.sizeInBytes())) {
                writersWaiting++;
                try {
                    finished.await();
                } finally {
                    writersWaiting--;
                }
            }
            if (closing) {
                throw new IllegalStateException("the writer for stream " + settings.streamName() + " is closed");
            }
            long now = System.nanoTime();
            PendingRecord p = new PendingRecord(record, hashKey, nextOrdinal++, now, now + deadlineNanos);
            p.shardId = shardMap.shardForHash(hashKey);
            outstanding.add(p);
            bufferedBytes += p.size();
            long bytesBefore = queues.bytes();
            queues.add(p);
            accepted.incrementAndGet();
            // Wake the dispatcher only when its plan changes: a first record starts the linger clock, a full
            // call's worth can go at once. Signalling every record would cost a thread switch per record.
            long queued = queues.records();
            if (queued == 1 || queued % KinesisLimits.MAX_RECORDS_PER_CALL == 0
                    || bytesBefore / KinesisLimits.MAX_BYTES_PER_CALL != queues.bytes() / KinesisLimits.MAX_BYTES_PER_CALL) {
                work.signal();
            }
            return p.future;
        } finally {
            lock.unlock();
        }
    }

    private boolean hasRoomFor(int bytes) {
        // An empty writer always takes a record: maxBufferedBytes is at least one maximal record anyway.
        return outstanding.isEmpty()
                || (outstanding.size() < settings.maxBufferedRecords() && bufferedBytes + bytes <= settings.maxBufferedBytes());
    }

    /**
     * Sends everything buffered without waiting for the linger. The returned future completes (normally, even if
     * some records failed: their own futures say so) once every record accepted before this call has finished.
     */
    public CompletableFuture<Void> flush() {
        CompletableFuture<?>[] pending;
        lock.lock();
        try {
            // Settling records are finished in the books but their futures may not be complete yet: wait for them too.
            pending = Stream.concat(outstanding.stream(), settling.stream()).map(p -> p.future).toArray(CompletableFuture[]::new);
            if (pending.length == 0) {
                return flushWrittenLog();
            }
            flushesWaiting++;
            work.signal();
        } finally {
            lock.unlock();
        }
        return CompletableFuture.allOf(pending).handle((ok, failure) -> null).thenCompose(ignored -> {
            lock.lock();
            try {
                flushesWaiting--;
            } finally {
                lock.unlock();
            }
            return flushWrittenLog();
        });
    }

    private CompletableFuture<Void> flushWrittenLog() {
        try {
            if (writtenLog != null) {
                writtenLog.flush();
            }
            return CompletableFuture.completedFuture(null);
        } catch (UncheckedIOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The counters so far. */
    public WriterStats stats() {
        int buffered;
        lock.lock();
        try {
            buffered = outstanding.size();
        } finally {
            lock.unlock();
        }
        return new WriterStats(accepted.get(), written.get(), failed.get(), retried.get(), calls.get(),
                failedEntries.get(), failedCalls.get(), buffered);
    }

    /** The open shards the writer routes to, as last listed. */
    public List<String> shardIds() {
        lock.lock();
        try {
            return shardMap.ranges().stream().map(ShardMap.Range::shardId).toList();
        } finally {
            lock.unlock();
        }
    }

    public WriterSettings settings() {
        return settings;
    }

    /**
     * Stops accepting records, sends what is buffered, and returns once every record has finished (each does by
     * its deadline), then closes the written log. Idempotent. If interrupted, records not finished yet fail with
     * {@link RecordNotWrittenException.Reason#CLOSED} and the interrupt flag is kept.
     *
     * @throws UncheckedIOException if the written log could not be completely written
     */
    @Override
    public void close() {
        List<PendingRecord> abandoned = new ArrayList<>();
        lock.lock();
        try {
            closing = true;
            work.signal();
            finished.signalAll();
            // Every record finishes by its deadline plus one call's slack; the margin only guards against a bug.
            long waitNanos = deadlineNanos + callTimeoutNanos + TimeUnit.SECONDS.toNanos(5);
            try {
                while ((!outstanding.isEmpty() || !settling.isEmpty()) && waitNanos > 0) {
                    waitNanos = finished.awaitNanos(waitNanos);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!outstanding.isEmpty()) {
                abandoned.addAll(outstanding);
                for (PendingRecord p : abandoned) {
                    p.state = PendingRecord.State.DONE;
                }
                outstanding.clear();
                bufferedBytes = 0;
            }
            stopped = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        for (PendingRecord p : abandoned) {
            fail(p, new RecordNotWrittenException(RecordNotWrittenException.Reason.CLOSED, p.attempts,
                    p.lastError, "record " + p.logId + " not confirmed: the writer was closed first"
                    + (p.attempts > 0 ? " (an attempt was under way, so it may be in the stream)" : "")));
        }
        if (Thread.currentThread() != dispatcher) {
            try {
                dispatcher.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (writtenLog != null) {
            writtenLog.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The dispatcher thread: forms calls, sends them, expires records, releases retries.

    private void dispatch() {
        List<PendingRecord> expired = new ArrayList<>();
        while (true) {
            List<PendingRecord> batch = null;
            long callTimeout = 0;
            lock.lock();
            try {
                settledLocked(expired);
                expired.clear();
                if (stopped) {
                    return;
                }
                long now = System.nanoTime();
                if (reloadedShardMap != null) {
                    shardMap = reloadedShardMap;
                    reloadedShardMap = null;
                    queues.rebucket(shardMap);
                }
                releaseDueRetries(now);
                queues.expire(now + minAttemptNanos, expired::add);
                releaseLocked(expired);
                if (expired.isEmpty() && callsInFlight < settings.maxCallsInFlight()) {
                    batch = nextBatch(now);
                }
                if (batch != null) {
                    callsInFlight++;
                    long earliest = Long.MAX_VALUE;
                    for (PendingRecord p : batch) {
                        p.state = PendingRecord.State.IN_FLIGHT;
                        p.attempts++;
                        earliest = Math.min(earliest, p.deadline);
                    }
                    // A call never outlives the earliest deadline among its records.
                    callTimeout = Math.min(callTimeoutNanos, earliest - now);
                } else if (expired.isEmpty()) {
                    long wait = nanosUntilNextEvent(now);
                    work.awaitNanos(Math.max(MIN_WAIT_NANOS, Math.min(wait, MAX_IDLE_NANOS)));
                    continue;
                }
            } catch (InterruptedException e) {
                // Only close() could interrupt the dispatcher, and it stops it by setting stopped instead.
                continue;
            } finally {
                lock.unlock();
            }
            // Completed outside the lock; the next round marks them settled.
            for (PendingRecord p : expired) {
                fail(p, deadlinePassed(p));
            }
            if (batch != null) {
                send(batch, callTimeout);
            }
        }
    }

    /** The next call to send now, or null if none should go yet. Caller holds the lock. */
    private List<PendingRecord> nextBatch(long now) {
        if (queues.isEmpty()) {
            return null;
        }
        boolean urgent = flushesWaiting > 0 || closing;
        boolean partialMayGo = urgent
                || (now - queues.oldestAcceptedAt() >= lingerNanos && now - lastPartialCallAt >= lingerNanos);
        boolean fullMayExist = queues.records() >= KinesisLimits.MAX_RECORDS_PER_CALL
                || queues.bytes() >= KinesisLimits.MAX_BYTES_PER_CALL - KinesisLimits.MAX_RECORD_BYTES;
        if (!partialMayGo && !fullMayExist) {
            return null;
        }
        List<PendingRecord> batch = queues.take(throttle, now, KinesisLimits.MAX_RECORDS_PER_CALL, KinesisLimits.MAX_BYTES_PER_CALL);
        if (batch.isEmpty()) {
            return null;
        }
        boolean full = batch.size() == KinesisLimits.MAX_RECORDS_PER_CALL
                || batchBytes(batch) > KinesisLimits.MAX_BYTES_PER_CALL - KinesisLimits.MAX_RECORD_BYTES;
        if (full) {
            return batch;
        }
        if (partialMayGo) {
            lastPartialCallAt = now;
            return batch;
        }
        // The shards' rates cut the call short: wait for the linger rather than send a trickle of small calls.
        queues.putBack(batch, throttle, now);
        return null;
    }

    private static long batchBytes(List<PendingRecord> batch) {
        long bytes = 0;
        for (PendingRecord p : batch) {
            bytes += p.size();
        }
        return bytes;
    }

    /** How long the dispatcher may sleep before something is due. Caller holds the lock. */
    private long nanosUntilNextEvent(long now) {
        long wait = Long.MAX_VALUE;
        if (!backingOff.isEmpty()) {
            wait = Math.min(wait, backingOff.peek().retryAt - now);
        }
        if (!queues.isEmpty()) {
            wait = Math.min(wait, queues.earliestDeadline() - minAttemptNanos - now);
            if (callsInFlight < settings.maxCallsInFlight()) {
                long lingerEnds = Math.max(queues.oldestAcceptedAt(), lastPartialCallAt) + lingerNanos;
                long sendable = queues.nanosUntilSendable(throttle, now);
                // A partial call can go when both its linger has passed and its shards' rates allow it.
                wait = Math.min(wait, Math.max(lingerEnds - now, sendable));
            }
        }
        return wait;
    }

    private void releaseDueRetries(long now) {
        while (!backingOff.isEmpty() && backingOff.peek().retryAt <= now) {
            queues.add(backingOff.poll());
        }
    }

    private void send(List<PendingRecord> batch, long timeoutNanos) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>(batch.size());
        for (PendingRecord p : batch) {
            PutRecordsRequestEntry.Builder entry = PutRecordsRequestEntry.builder()
                    .partitionKey(p.record.partitionKey()).data(p.record.data());
            p.record.explicitHashKey().ifPresent(entry::explicitHashKey);
            entries.add(entry.build());
            if (p.attempts > 1) {
                retried.incrementAndGet();
            }
        }
        PutRecordsRequest request = PutRecordsRequest.builder().streamName(settings.streamName()).records(entries)
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofNanos(timeoutNanos))).build();
        calls.incrementAndGet();
        CompletableFuture<PutRecordsResponse> call;
        try {
            call = kinesis.putRecords(request);
        } catch (RuntimeException e) {
            // A closed client throws instead of returning a failed future; treat it the same way.
            call = CompletableFuture.failedFuture(e);
        }
        boolean cutShort = timeoutNanos < callTimeoutNanos;
        call.whenComplete((response, failure) -> onResponse(batch, response, failure, cutShort));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Responses, on the SDK's threads.

    /**
     * @param cutShort the call's time-out was shortened to the earliest deadline among its records
     */
    private void onResponse(List<PendingRecord> batch, PutRecordsResponse response, Throwable failure, boolean cutShort) {
        long now = System.nanoTime();
        List<PendingRecord> succeeded = new ArrayList<>();
        List<WriteResult> results = new ArrayList<>();
        List<PendingRecord> toRetry = new ArrayList<>();
        List<PendingRecord> rejected = new ArrayList<>();

        if (failure == null && response.records().size() != batch.size()) {
            failure = new IllegalStateException("PutRecords answered " + response.records().size() + " entries for "
                    + batch.size() + " records");
        }
        if (failure != null) {
            failedCalls.incrementAndGet();
            String error = FailureClassifier.describe(failure);
            boolean retryable = FailureClassifier.isRetryableCallFailure(failure);
            log.debug("PutRecords call of {} records failed ({}): {}", batch.size(), retryable ? "will retry" : "permanent", error);
            boolean outOfTimeCall = cutShort && FailureClassifier.isTimeout(failure);
            for (PendingRecord p : batch) {
                // A call cut short by the deadline says little; the error before it says why the record is late.
                p.lastError = outOfTimeCall && p.lastError != null
                        ? p.lastError + " (then an attempt ran out of time at the deadline)" : error;
                (retryable ? toRetry : rejected).add(p);
            }
        } else {
            List<PutRecordsResultEntry> entries = response.records();
            for (int i = 0; i < batch.size(); i++) {
                PendingRecord p = batch.get(i);
                PutRecordsResultEntry entry = entries.get(i);
                if (entry.errorCode() == null) {
                    succeeded.add(p);
                    results.add(new WriteResult(entry.shardId(), entry.sequenceNumber(), p.attempts));
                } else {
                    failedEntries.incrementAndGet();
                    p.lastError = entry.errorCode() + (entry.errorMessage() == null ? "" : ": " + entry.errorMessage());
                    (FailureClassifier.isRetryableEntryError(entry.errorCode()) ? toRetry : rejected).add(p);
                }
            }
        }
        List<PendingRecord> backOff = new ArrayList<>(toRetry.size());
        List<PendingRecord> outOfTime = new ArrayList<>();
        for (PendingRecord p : toRetry) {
            p.retryAt = now + backoff.delayNanos(p.attempts);
            (p.retryAt + minAttemptNanos > p.deadline ? outOfTime : backOff).add(p);
        }

        lock.lock();
        try {
            callsInFlight--;
            for (PendingRecord p : backOff) {
                if (p.state != PendingRecord.State.DONE) {
                    p.state = PendingRecord.State.BACKING_OFF;
                    backingOff.add(p);
                }
            }
            boolean unknownShard = false;
            for (WriteResult r : results) {
                unknownShard |= !shardMap.contains(r.shardId());
            }
            if (unknownShard) {
                reloadShardMapLocked(now);
            }
            releaseLocked(succeeded);
            releaseLocked(rejected);
            releaseLocked(outOfTime);
            work.signal();
        } finally {
            lock.unlock();
        }

        // Log lines first, then the futures: whoever sees a future complete finds its line in the log.
        if (writtenLog != null && !succeeded.isEmpty()) {
            for (int i = 0; i < succeeded.size(); i++) {
                writtenLog.append(succeeded.get(i).logId, results.get(i).key());
            }
            writtenLog.flushQuietly();
        }
        for (int i = 0; i < succeeded.size(); i++) {
            // Count before completing, so that whoever sees the future complete sees the count too. complete()
            // returns false only if close() gave up on the record while this call was under way.
            written.incrementAndGet();
            if (!succeeded.get(i).future.complete(results.get(i))) {
                written.decrementAndGet();
            }
        }
        for (PendingRecord p : rejected) {
            fail(p, new RecordNotWrittenException(RecordNotWrittenException.Reason.REJECTED, p.attempts, p.lastError,
                    "record " + p.logId + " not written: Kinesis refused it after " + attempts(p.attempts) + ": " + p.lastError));
        }
        for (PendingRecord p : outOfTime) {
            fail(p, deadlinePassed(p));
        }
        lock.lock();
        try {
            settledLocked(succeeded);
            settledLocked(rejected);
            settledLocked(outOfTime);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes finished records out of the buffer, freeing their room; their futures are completed right after,
     * outside the lock, and then {@link #settledLocked} is called. Caller holds the lock.
     */
    private void releaseLocked(List<PendingRecord> done) {
        if (done.isEmpty()) {
            return;
        }
        for (PendingRecord p : done) {
            p.state = PendingRecord.State.DONE;
            if (outstanding.remove(p)) {
                bufferedBytes -= p.size();
            }
        }
        settling.addAll(done);
        if (writersWaiting > 0) {
            finished.signalAll();
        }
    }

    /** Released records whose futures are now complete. Caller holds the lock. */
    private void settledLocked(List<PendingRecord> done) {
        if (done.isEmpty()) {
            return;
        }
        done.forEach(settling::remove);
        if (settling.isEmpty() && outstanding.isEmpty()) {
            finished.signalAll();
        }
    }

    private void reloadShardMapLocked(long now) {
        if (shardReloadRunning || now - lastShardReload < SHARD_RELOAD_INTERVAL_NANOS) {
            return;
        }
        shardReloadRunning = true;
        lastShardReload = now;
        ShardMap.load(kinesis, settings.streamName()).whenComplete((map, failure) -> {
            lock.lock();
            try {
                shardReloadRunning = false;
                if (map != null) {
                    reloadedShardMap = map;
                    work.signal();
                } else {
                    log.warn("reloading the shards of stream {} failed, routing by the old list: {}",
                            settings.streamName(), FailureClassifier.describe(failure));
                }
            } finally {
                lock.unlock();
            }
        });
    }

    /** Fails a record's future, counting it unless close() already gave up on the record. */
    private void fail(PendingRecord p, RecordNotWrittenException reason) {
        // Count before completing, as for written records.
        failed.incrementAndGet();
        if (!p.future.completeExceptionally(reason)) {
            failed.decrementAndGet();
        }
    }

    private RecordNotWrittenException deadlinePassed(PendingRecord p) {
        String message = "record " + p.logId + " not written within its deadline of " + settings.deadline().toMillis()
                + " ms after " + attempts(p.attempts) + (p.lastError == null
                ? " (it waited for its shard's rate limit or a free call slot the whole time)"
                : "; last error: " + p.lastError);
        return new RecordNotWrittenException(RecordNotWrittenException.Reason.DEADLINE, p.attempts, p.lastError, message);
    }

    private static String attempts(int n) {
        return n == 1 ? "1 attempt" : n + " attempts";
    }
}
