package io.streamwreck.streamchecker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.KeyStatus;

/** A record that drifted: duplicated (with how many times it was processed), skipped or undelivered. */
record DriftedKey(RecordKey key, Classification classification, long count) implements Comparable<DriftedKey> {

    static DriftedKey of(KeyStatus status) {
        return new DriftedKey(status.key(), status.classification(), status.count());
    }

    static boolean drifted(KeyStatus status) {
        return status.classification() != Classification.PROCESSED && status.classification() != Classification.PENDING;
    }

    @Override
    public int compareTo(DriftedKey o) {
        return key.compareTo(o.key);
    }
}
