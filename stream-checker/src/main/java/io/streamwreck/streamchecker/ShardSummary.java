package io.streamwreck.streamchecker;

/** One shard's line of the report. */
record ShardSummary(String shardId, boolean closed, Counts counts) {
}
