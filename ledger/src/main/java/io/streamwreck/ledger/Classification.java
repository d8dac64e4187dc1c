package io.streamwreck.ledger;

/** What the ledger knows of one record (DESIGN.md "Classification"). */
public enum Classification {
    /** Recorded as processed exactly once. */
    PROCESSED,
    /** Recorded as processed two or more times. */
    DUPLICATED,
    /** Inside a range KCL delivered to a processor, but never recorded as processed: the handler dropped or failed it. */
    SKIPPED,
    /** In no delivered range: KCL never handed it to a processor (lag, or a loss inside the consumer library). */
    UNDELIVERED
}
