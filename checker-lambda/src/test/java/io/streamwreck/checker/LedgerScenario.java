package io.streamwreck.checker;

import io.streamwreck.local.standin.KinesisLocalSequenceNumbers;

import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.core.notice.DeliveredBatch;
import io.streamwreck.core.notice.Notice;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * One small, deterministic history of a scope, recorded into the ledger through real notices, with one record
 * of every classification:
 * <ul>
 *   <li>shard 0, records 0–7 delivered in one batch; 0, 1, 5, 7 processed once; 2 processed twice and 3 three
 *       times (a failover replayed them); 4 and 6 skipped; records 8–11 never delivered;</li>
 *   <li>shard 1, records 0–5 and the KPL-aggregated record 6 (user records 0–2) delivered in one batch; all
 *       processed but user record 6:2 (skipped); and, in a batch of its own, shard 0's record 1's sequence
 *       number — so that number, asked bare, is ambiguous;</li>
 *   <li>shard 2: never recorded.</li>
 * </ul>
 * The fixtures under {@code events/} quote these numbers.
 */
final class LedgerScenario {

    static final Instant SHARDS_CREATED = Instant.parse("2026-11-20T10:00:00Z");
    private static final double RATE = 1_000;
    private static final KinesisLocalSequenceNumbers SHARD_0 = new KinesisLocalSequenceNumbers(SHARDS_CREATED, 0);
    private static final KinesisLocalSequenceNumbers SHARD_1 = new KinesisLocalSequenceNumbers(SHARDS_CREATED, 1);
    static final String SHARD_0_ID = SHARD_0.shardId();
    static final String SHARD_1_ID = SHARD_1.shardId();
    static final String SHARD_2_ID = "shardId-000000000002";

    private LedgerScenario() {
    }

    /** The sequence number of shard 0's record {@code n}. */
    static String s0(int n) {
        return SHARD_0.record(n, RATE);
    }

    /** The sequence number of shard 1's record {@code n}. */
    static String s1(int n) {
        return SHARD_1.record(n, RATE);
    }

    /** Shard 0's record {@code n} as a qualified key. */
    static String k0(int n) {
        return SHARD_0_ID + ":" + s0(n);
    }

    /** Shard 1's record {@code n} as a qualified key. */
    static String k1(int n) {
        return SHARD_1_ID + ":" + s1(n);
    }

    /** Records the history into {@code scope}. */
    static void record(RedisLedger ledger, Scope scope) {
        List<RecordKey> shard0 = keys(SHARD_0_ID, IntStream.rangeClosed(0, 7).mapToObj(LedgerScenario::s0).toList());
        ledger.record(notice(scope, SHARD_0_ID, s0(0), s0(7), 8,
                List.of(shard0.get(0), shard0.get(1), shard0.get(2), shard0.get(3), shard0.get(5), shard0.get(7))));
        ledger.record(notice(scope, SHARD_0_ID, s0(2), s0(3), 2, List.of(shard0.get(2), shard0.get(3))));
        ledger.record(notice(scope, SHARD_0_ID, s0(3), s0(3), 1, List.of(shard0.get(3))));

        List<RecordKey> shard1 = new ArrayList<>(keys(SHARD_1_ID, IntStream.rangeClosed(0, 5).mapToObj(LedgerScenario::s1).toList()));
        shard1.add(RecordKey.of(SHARD_1_ID, s1(6), 0));
        shard1.add(RecordKey.of(SHARD_1_ID, s1(6), 1));
        ledger.record(notice(scope, SHARD_1_ID, s1(0), s1(6), 9, shard1));
        ledger.record(notice(scope, SHARD_1_ID, s0(1), s0(1), 1, List.of(RecordKey.of(SHARD_1_ID, s0(1)))));
    }

    private static List<RecordKey> keys(String shardId, List<String> sequenceNumbers) {
        return sequenceNumbers.stream().map(s -> RecordKey.of(shardId, s)).toList();
    }

    private static Notice notice(Scope scope, String shardId, String first, String last, int received, List<RecordKey> processed) {
        return new Notice(Notice.VERSION, UUID.randomUUID().toString(), scope.stream(), scope.app(), shardId, "worker-1",
                new DeliveredBatch(first, last, received), processed, Instant.parse("2026-11-20T10:05:00Z"));
    }
}
