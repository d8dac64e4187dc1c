package io.streamwreck.core.notice;

import io.streamwreck.core.RecordKey;

/**
 * What KCL handed to a processor in one {@code processRecords} call: the first and last sequence numbers of
 * the batch and how many user records it held. The ledger uses the range to tell "skipped" (delivered but
 * not processed) from "undelivered".
 */
public record DeliveredBatch(String first, String last, int received) {

    public DeliveredBatch {
        RecordKey.validateSequenceNumber(first);
        RecordKey.validateSequenceNumber(last);
        if (RecordKey.compareSequenceNumbers(first, last) > 0) {
            throw new IllegalArgumentException("batch.first " + first + " is after batch.last " + last);
        }
        if (received < 1) {
            throw new IllegalArgumentException("batch.received must be at least 1, was " + received);
        }
    }
}
