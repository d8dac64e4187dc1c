package io.streamwreck.ledger;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.DeliveredBatch;
import io.streamwreck.core.notice.Notice;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Builds notices for ledger tests. */
final class Notices {

    private Notices() {
    }

    /** A notice for a batch of {@code delivered} keys (in order) of which {@code processed} were completed. */
    static Notice of(Scope scope, List<RecordKey> delivered, List<RecordKey> processed) {
        return withId(UUID.randomUUID().toString(), scope, delivered, processed);
    }

    static Notice withId(String id, Scope scope, List<RecordKey> delivered, List<RecordKey> processed) {
        RecordKey first = delivered.get(0);
        RecordKey last = delivered.get(delivered.size() - 1);
        return new Notice(Notice.VERSION, id, scope.stream(), scope.app(), first.shardId(), "worker-1",
                new DeliveredBatch(first.sequenceNumber(), last.sequenceNumber(), delivered.size()), processed,
                Instant.parse("2026-11-22T00:00:00Z"));
    }
}
