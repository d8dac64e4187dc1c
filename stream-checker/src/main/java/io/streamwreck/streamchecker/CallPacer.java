package io.streamwreck.streamchecker;

import java.util.concurrent.TimeUnit;

/**
 * Keeps one shard's GetRecords calls at or under Kinesis' limit of five per second per shard: each call starts
 * at least 200 ms after the previous one started. One pacer per shard reader, used by that reader's thread only.
 * Other consumers of the stream share the same limit, which is why throttling is still handled (backoff).
 */
final class CallPacer {

    /** Kinesis allows 5 GetRecords calls per second per shard. */
    static final int CALLS_PER_SECOND = 5;

    private final long intervalNanos;
    private long lastStart = Long.MIN_VALUE;

    CallPacer(int callsPerSecond) {
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / callsPerSecond;
    }

    /** Waits until the next call may start, and counts it as started. */
    void awaitTurn() throws InterruptedException {
        long now = System.nanoTime();
        if (lastStart != Long.MIN_VALUE) {
            long wait = lastStart + intervalNanos - now;
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
                now = System.nanoTime();
            }
        }
        lastStart = now;
    }
}
