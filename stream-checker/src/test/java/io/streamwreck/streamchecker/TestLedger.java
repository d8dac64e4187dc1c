package io.streamwreck.streamchecker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.core.notice.DeliveredBatch;
import io.streamwreck.core.notice.Notice;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Records notices in the ledger the way the notified Lambda does, for a processor that never ran. */
final class TestLedger {

    private final RedisLedger ledger;
    private final Scope scope;

    TestLedger(RedisLedger ledger, Scope scope) {
        this.ledger = ledger;
        this.scope = scope;
    }

    /**
     * One notice (its own id): KCL delivered {@code delivered} (keys of one shard, in order; its range is first
     * to last) and the handler completed {@code processed}.
     */
    void notice(List<RecordKey> delivered, List<RecordKey> processed) {
        RecordKey first = delivered.get(0);
        RecordKey last = delivered.get(delivered.size() - 1);
        ledger.record(new Notice(Notice.VERSION, UUID.randomUUID().toString(), scope.stream(), scope.app(), first.shardId(),
                "test-worker", new DeliveredBatch(first.sequenceNumber(), last.sequenceNumber(), delivered.size()),
                processed, Instant.now()));
    }

    /** Every key delivered and processed once. */
    void processedOnce(List<RecordKey> keys) {
        notice(keys, keys);
    }
}
