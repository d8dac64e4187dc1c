package io.streamwreck.producer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Records waiting to be sent, one queue per (expected) shard, each in acceptance order so that the oldest
 * record of a shard — the one closest to its deadline, retries included — always goes first. Batches are taken
 * round-robin over the shards, each shard contributing only what its rate allows.
 *
 * <p>Not thread-safe: guarded by the writer's lock.
 */
final class ShardQueues {

    private final Map<String, PriorityQueue<PendingRecord>> queues = new LinkedHashMap<>();
    private final List<String> order = new ArrayList<>();
    private int nextShard;
    private long records;
    private long bytes;

    void add(PendingRecord p) {
        PriorityQueue<PendingRecord> queue = queues.get(p.shardId);
        if (queue == null) {
            queue = new PriorityQueue<>(PendingRecord.BY_ORDINAL);
            queues.put(p.shardId, queue);
            order.add(p.shardId);
        }
        p.state = PendingRecord.State.QUEUED;
        queue.add(p);
        records++;
        bytes += p.size();
    }

    long records() {
        return records;
    }

    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return records == 0;
    }

    /** When the oldest queued record was accepted; only meaningful when not empty. */
    long oldestAcceptedAt() {
        long oldest = Long.MAX_VALUE;
        for (PriorityQueue<PendingRecord> q : queues.values()) {
            PendingRecord head = q.peek();
            if (head != null) {
                oldest = Math.min(oldest, head.acceptedAt);
            }
        }
        return oldest;
    }

    /** The earliest deadline of a queued record, or Long.MAX_VALUE. */
    long earliestDeadline() {
        long earliest = Long.MAX_VALUE;
        for (PriorityQueue<PendingRecord> q : queues.values()) {
            PendingRecord head = q.peek();
            if (head != null) {
                earliest = Math.min(earliest, head.deadline);
            }
        }
        return earliest;
    }

    /** Removes every queued record whose deadline is at or before {@code limit} and hands it to {@code expired}. */
    void expire(long limit, Consumer<PendingRecord> expired) {
        for (PriorityQueue<PendingRecord> q : queues.values()) {
            while (!q.isEmpty() && q.peek().deadline <= limit) {
                expired.accept(removed(q.poll()));
            }
        }
    }

    /**
     * Takes up to {@code maxRecords} records and {@code maxBytes} bytes, round-robin over the shards, each record
     * only if {@code throttle} lets it go to its shard now.
     */
    List<PendingRecord> take(ShardThrottle throttle, long now, int maxRecords, long maxBytes) {
        List<PendingRecord> batch = new ArrayList<>(Math.min(maxRecords, (int) Math.min(records, maxRecords)));
        long batchBytes = 0;
        int shards = order.size();
        // Each pass takes at most one record per shard, so that a full batch is spread fairly over busy shards.
        boolean progress = true;
        int start = shards == 0 ? 0 : nextShard++ % shards;
        while (progress && batch.size() < maxRecords) {
            progress = false;
            for (int i = 0; i < shards && batch.size() < maxRecords; i++) {
                String shardId = order.get((start + i) % shards);
                PriorityQueue<PendingRecord> q = queues.get(shardId);
                PendingRecord head = q.peek();
                if (head == null || batchBytes + head.size() > maxBytes || !throttle.tryAcquire(shardId, head.size(), now)) {
                    continue;
                }
                batch.add(removed(q.poll()));
                batchBytes += head.size();
                progress = true;
            }
        }
        return batch;
    }

    /** Puts back records {@link #take} returned but that were not sent, and refunds their rate allowance. */
    void putBack(List<PendingRecord> batch, ShardThrottle throttle, long now) {
        for (PendingRecord p : batch) {
            throttle.refund(p.shardId, p.size(), now);
            add(p);
        }
    }

    /** Nanoseconds until some queue's head may be sent by its shard's rate, or Long.MAX_VALUE when all are empty. */
    long nanosUntilSendable(ShardThrottle throttle, long now) {
        long soonest = Long.MAX_VALUE;
        for (Map.Entry<String, PriorityQueue<PendingRecord>> e : queues.entrySet()) {
            PendingRecord head = e.getValue().peek();
            if (head != null) {
                soonest = Math.min(soonest, throttle.nanosUntil(e.getKey(), head.size(), now));
            }
        }
        return soonest;
    }

    /** Moves every record to the queue of the shard {@code map} gives it (after a reshard). */
    void rebucket(ShardMap map) {
        List<PendingRecord> all = new ArrayList<>();
        for (PriorityQueue<PendingRecord> q : queues.values()) {
            all.addAll(q);
        }
        queues.clear();
        order.clear();
        records = 0;
        bytes = 0;
        for (PendingRecord p : all) {
            p.shardId = map.shardForHash(p.hashKey);
            add(p);
        }
    }

    private PendingRecord removed(PendingRecord p) {
        records--;
        bytes -= p.size();
        return p;
    }
}
