package io.streamwreck.processor.kcl;

import java.util.concurrent.atomic.LongAdder;

/** What the worker's shards did: read by the benchmark and the in-process tests. */
public final class ProcessorCounters {

    private final LongAdder received = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder checkpoints = new LongAdder();

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
