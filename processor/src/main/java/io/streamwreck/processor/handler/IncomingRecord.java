package io.streamwreck.processor.handler;

import io.streamwreck.core.RecordKey;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * One user record as KCL delivered it to this worker: a plain Kinesis record, or one user record out of a
 * KPL-aggregated one (then {@link #aggregated()} is true and {@link #subSequenceNumber()} says which).
 *
 * @param data the payload, read-only; a handler that needs it twice should {@code duplicate()} it
 */
public record IncomingRecord(String shardId, String sequenceNumber, boolean aggregated, long subSequenceNumber,
                             String partitionKey, ByteBuffer data, Instant approximateArrivalTimestamp) {

    /** The record's identity in the ledger (DESIGN.md "Record keys"): plain records carry no sub-sequence number. */
    public RecordKey key() {
        return aggregated ? RecordKey.of(shardId, sequenceNumber, subSequenceNumber) : RecordKey.of(shardId, sequenceNumber);
    }
}
