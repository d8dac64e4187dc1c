package io.streamwreck.streamchecker;

import io.streamwreck.ledger.KeyStatus;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The running counts of one shard: its reader adds what it scanned and what is in flight, the checker threads
 * add what the ledger said. Thread-safe.
 */
final class ShardTally {

    private final String shardId;
    private final boolean closed;
    private final AtomicLong scanned = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong undelivered = new AtomicLong();

    ShardTally(String shardId, boolean closed) {
        this.shardId = shardId;
        this.closed = closed;
    }

    String shardId() {
        return shardId;
    }

    boolean closed() {
        return closed;
    }

    void scanned(long n) {
        scanned.addAndGet(n);
    }

    void inFlight(long n) {
        inFlight.addAndGet(n);
    }

    void judged(List<KeyStatus> statuses) {
        long p = 0;
        long d = 0;
        long s = 0;
        long u = 0;
        for (KeyStatus status : statuses) {
            switch (status.classification()) {
                case PROCESSED -> p++;
                case DUPLICATED -> d++;
                case SKIPPED -> s++;
                case UNDELIVERED -> u++;
            }
        }
        processed.addAndGet(p);
        duplicated.addAndGet(d);
        skipped.addAndGet(s);
        undelivered.addAndGet(u);
    }

    Counts counts() {
        return new Counts(scanned.get(), processed.get(), duplicated.get(), skipped.get(), undelivered.get(), inFlight.get());
    }
}
