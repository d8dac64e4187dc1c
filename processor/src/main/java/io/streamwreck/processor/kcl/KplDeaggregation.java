package io.streamwreck.processor.kcl;

/**
 * What happens to a KPL aggregate holding a user record whose effective hash key lies outside the hash-key range of
 * the shard it was read from (an aggregate built from records of mixed partition keys that was not built per shard,
 * as the KPL builds them).
 */
public enum KplDeaggregation {
    /**
     * KCL's own rule: the whole aggregate is dropped, none of its user records reaches the handler. The processor
     * says so in the log and reports the aggregate outside every delivered range, so the ledger calls its user records
     * <i>undelivered</i> (not <i>skipped</i>: the handler never had them).
     */
    STRICT,
    /** Every user record of every aggregate reaches the handler, whatever its hash key. */
    ALL
}
