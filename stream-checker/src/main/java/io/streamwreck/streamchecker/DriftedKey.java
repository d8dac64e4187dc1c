package io.streamwreck.streamchecker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.KeyStatus;

import java.time.Instant;

/**
 * A record that drifted: duplicated (with how many times it was processed), skipped or undelivered.
 *
 * @param arrival when it arrived in the stream (to the second; the start of its bucket when read back from a JSON
 *                report), or null when not known
 */
record DriftedKey(RecordKey key, Classification classification, long count, Instant arrival) implements Comparable<DriftedKey> {

    DriftedKey(RecordKey key, Classification classification, long count) {
        this(key, classification, count, null);
    }

    static DriftedKey of(KeyStatus status) {
        return new DriftedKey(status.key(), status.classification(), status.count());
    }

    static DriftedKey of(KeyStatus status, Instant arrival) {
        return new DriftedKey(status.key(), status.classification(), status.count(), arrival);
    }

    static boolean drifted(KeyStatus status) {
        return status.classification() != Classification.PROCESSED && status.classification() != Classification.PENDING;
    }

    @Override
    public int compareTo(DriftedKey o) {
        return key.compareTo(o.key);
    }
}
