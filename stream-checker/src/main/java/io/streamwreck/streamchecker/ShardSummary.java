package io.streamwreck.streamchecker;

import io.streamwreck.ledger.ShardProgress;

import java.time.Instant;

/**
 * One shard's line of the report.
 *
 * @param lag where the consumer is in the shard and how far behind, or null when its checkpoints are not visible
 */
record ShardSummary(String shardId, boolean closed, Counts counts, Lag lag) {

    ShardSummary(String shardId, boolean closed, Counts counts) {
        this(shardId, closed, counts, null);
    }

    /**
     * @param records how many records of the scan were after the checkpoint (in flight ones included)
     * @param oldest  when the first of them arrived, null when none was
     */
    record Lag(ShardProgress progress, long records, Instant oldest) {
    }
}
