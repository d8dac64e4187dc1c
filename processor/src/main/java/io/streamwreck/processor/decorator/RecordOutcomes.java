package io.streamwreck.processor.decorator;

import io.streamwreck.core.RecordKey;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

import java.util.HashSet;
import java.util.Set;

/**
 * The small API a wrapped processor uses to say that a record of the batch it is processing was <i>not</i>
 * processed: every record of a batch whose {@code processRecords} returns without throwing is reported processed,
 * except those marked here. Both kinds are left out of the batch's notices, so the ledger reports them
 * {@code skipped} (DESIGN.md "Classification"); "failed" is also logged.
 *
 * <p>Call it from inside {@code processRecords}, on KCL's thread (where the batch is known): a processor that hands
 * records to other threads marks them before {@code processRecords} returns.
 */
public final class RecordOutcomes {

    private static final ThreadLocal<RecordOutcomes> CURRENT = new ThreadLocal<>();

    private final String shardId;
    private final Set<RecordKey> failed = new HashSet<>();
    private final Set<RecordKey> skipped = new HashSet<>();

    private RecordOutcomes(String shardId) {
        this.shardId = shardId;
    }

    /** {@code record} could not be processed (an error the processor caught). */
    public static void failed(KinesisClientRecord record) {
        current().failed.add(current().key(record));
    }

    /** {@code record} was deliberately not processed (filtered, dropped as poison). */
    public static void skipped(KinesisClientRecord record) {
        current().skipped.add(current().key(record));
    }

    private static RecordOutcomes current() {
        RecordOutcomes outcomes = CURRENT.get();
        if (outcomes == null) {
            throw new IllegalStateException("RecordOutcomes is only usable inside processRecords of a processor wrapped by "
                    + "GatedProcessorFactory, on KCL's thread");
        }
        return outcomes;
    }

    RecordKey key(KinesisClientRecord record) {
        return key(shardId, record);
    }

    /** The record's identity in the ledger (DESIGN.md "Record keys"): plain records carry no sub-sequence number. */
    static RecordKey key(String shardId, KinesisClientRecord record) {
        return record.aggregated()
                ? RecordKey.of(shardId, record.sequenceNumber(), record.subSequenceNumber())
                : RecordKey.of(shardId, record.sequenceNumber());
    }

    /** Opens the outcomes of one batch on this thread. */
    static RecordOutcomes open(String shardId) {
        RecordOutcomes outcomes = new RecordOutcomes(shardId);
        CURRENT.set(outcomes);
        return outcomes;
    }

    void close() {
        CURRENT.remove();
    }

    boolean notProcessed(RecordKey key) {
        return failed.contains(key) || skipped.contains(key);
    }

    int failedCount() {
        return failed.size();
    }

    int skippedCount() {
        return skipped.size();
    }
}
