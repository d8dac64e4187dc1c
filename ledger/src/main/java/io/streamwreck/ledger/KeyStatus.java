package io.streamwreck.ledger;

import io.streamwreck.core.RecordKey;

/** One record's classification, with how many times it was processed (0 when skipped or undelivered). */
public record KeyStatus(RecordKey key, Classification classification, long count) {
}
