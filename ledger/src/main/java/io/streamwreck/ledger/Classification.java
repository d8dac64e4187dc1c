package io.streamwreck.ledger;

/** What the ledger knows of one record (DESIGN.md "Classification"). */
public enum Classification {
    /** Recorded as processed exactly once. */
    PROCESSED,
    /** Recorded as processed two or more times. */
    DUPLICATED,
    /** Inside a range KCL delivered to a processor, but never recorded as processed: the handler dropped or failed it. */
    SKIPPED,
    /**
     * In no delivered range although the consumer read past it (at or before its checkpoint), or with no checkpoint
     * to tell: never handed to a processor — a loss inside the consumer library, or lag that cannot be told apart.
     */
    UNDELIVERED,
    /**
     * In no delivered range yet, after the consumer's checkpoint for its shard (or on a shard it has not started):
     * lag, not drift. The ledger never answers this itself; {@link ConsumerCheckpoints#judge} does, from the lease table.
     */
    PENDING
}
