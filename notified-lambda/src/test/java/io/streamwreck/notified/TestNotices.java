package io.streamwreck.notified;

import io.streamwreck.local.standin.KinesisLocalSequenceNumbers;

import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.Scope;
import io.streamwreck.core.notice.DeliveredBatch;
import io.streamwreck.core.notice.Notice;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Builds realistic notices for tests and the benchmark. */
final class TestNotices {

    private static final Instant SHARDS_CREATED = Instant.parse("2026-11-21T00:00:00Z");
    private static final AtomicLong SCOPES = new AtomicLong();

    private TestNotices() {
    }

    /** A scope no other test uses. */
    static Scope freshScope(String what) {
        return new Scope("orders-" + what + "-" + System.nanoTime() + "-" + SCOPES.incrementAndGet(), "billing");
    }

    /** {@code count} consecutive keys of one shard from record {@code from}, as KCL delivers them at 1,000 records/s. */
    static List<RecordKey> keys(int shardIndex, long from, int count) {
        KinesisLocalSequenceNumbers numbers = new KinesisLocalSequenceNumbers(SHARDS_CREATED, shardIndex);
        List<RecordKey> keys = new ArrayList<>(count);
        for (long i = from; i < from + count; i++) {
            keys.add(RecordKey.of(numbers.shardId(), numbers.record(i, 1_000)));
        }
        return keys;
    }

    /** A notice for a batch of {@code delivered} keys (in order) of which {@code processed} were completed. */
    static Notice notice(Scope scope, List<RecordKey> delivered, List<RecordKey> processed) {
        RecordKey first = delivered.get(0);
        RecordKey last = delivered.get(delivered.size() - 1);
        return new Notice(Notice.VERSION, UUID.randomUUID().toString(), scope.stream(), scope.app(), first.shardId(),
                "worker-1", new DeliveredBatch(first.sequenceNumber(), last.sequenceNumber(), delivered.size()),
                processed, Instant.parse("2026-11-21T00:05:00Z"));
    }

    /** A notice whose whole batch was processed. */
    static Notice notice(Scope scope, List<RecordKey> processed) {
        return notice(scope, processed, processed);
    }
}
