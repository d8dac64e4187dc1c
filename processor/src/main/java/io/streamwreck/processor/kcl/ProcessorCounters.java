package io.streamwreck.processor.kcl;

import java.util.concurrent.atomic.LongAdder;

/** What the worker's shards did: read by the benchmark and the in-process tests. */
public final class ProcessorCounters {

    private final LongAdder received = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder checkpoints = new LongAdder();
    private final LongAdder droppedAggregates = new LongAdder();
    private final LongAdder droppedUserRecords = new LongAdder();

    void droppedAggregate(int userRecords) {
        droppedAggregates.increment();
        droppedUserRecords.add(userRecords);
    }

    /** KPL aggregates dropped because a user record hashed outside its shard (KCL's rule, --kpl-deaggregation strict). */
    public long droppedAggregates() {
        return droppedAggregates.sum();
    }

    /** The user records of those aggregates: reported undelivered. */
    public long droppedUserRecords() {
        return droppedUserRecords.sum();
    }

    void batch(int receivedRecords, int completedRecords, int failedRecords) {
        batches.increment();
        received.add(receivedRecords);
        completed.add(completedRecords);
        failed.add(failedRecords);
    }

    void checkpoint() {
        checkpoints.increment();
    }

    public long received() {
        return received.sum();
    }

    public long completed() {
        return completed.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public long batches() {
        return batches.sum();
    }

    public long checkpoints() {
        return checkpoints.sum();
    }
}
