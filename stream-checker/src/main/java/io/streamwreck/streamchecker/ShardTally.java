package io.streamwreck.streamchecker;

import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.KeyStatus;
import io.streamwreck.ledger.ShardProgress;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong behind = new AtomicLong();
    private final AtomicReference<Instant> oldestBehind = new AtomicReference<>();
    private volatile ShardProgress progress;

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

    /** Where the consumer is in this shard, from its lease table; null when it has no visible checkpoints. */
    void progress(ShardProgress p) {
        this.progress = p;
    }

    ShardProgress progress() {
        return progress;
    }

    /** {@code n} records the reader found after the consumer's checkpoint, the first of them arrived at {@code arrival}. */
    void behind(long n, Instant arrival) {
        behind.addAndGet(n);
        oldestBehind.accumulateAndGet(arrival, (a, b) -> a == null || b.isBefore(a) ? b : a);
    }

    /** How far the consumer is behind in this shard, or null when its checkpoints are not visible. */
    ShardSummary.Lag lag() {
        ShardProgress p = progress;
        return p == null ? null : new ShardSummary.Lag(p, behind.get(), oldestBehind.get());
    }

    /** Tells lag from loss: undelivered after the consumer's checkpoint is pending (DESIGN.md "Classification"). */
    List<KeyStatus> judge(List<KeyStatus> statuses) {
        ShardProgress p = progress;
        if (p == null) {
            return statuses;
        }
        List<KeyStatus> out = new ArrayList<>(statuses.size());
        for (KeyStatus s : statuses) {
            out.add(s.classification() == Classification.UNDELIVERED && p.ahead(s.key())
                    ? new KeyStatus(s.key(), Classification.PENDING, 0) : s);
        }
        return out;
    }

    void judged(List<KeyStatus> statuses) {
        long p = 0;
        long d = 0;
        long s = 0;
        long u = 0;
        long w = 0;
        for (KeyStatus status : statuses) {
            switch (status.classification()) {
                case PROCESSED -> p++;
                case DUPLICATED -> d++;
                case SKIPPED -> s++;
                case UNDELIVERED -> u++;
                case PENDING -> w++;
            }
        }
        pending.addAndGet(w);
        processed.addAndGet(p);
        duplicated.addAndGet(d);
        skipped.addAndGet(s);
        undelivered.addAndGet(u);
    }

    Counts counts() {
        return new Counts(scanned.get(), processed.get(), duplicated.get(), skipped.get(), undelivered.get(), inFlight.get(),
                pending.get());
    }
}
