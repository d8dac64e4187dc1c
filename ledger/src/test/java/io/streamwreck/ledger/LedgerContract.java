package io.streamwreck.ledger;

import io.streamwreck.local.standin.KinesisLocalSequenceNumbers;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.streamwreck.core.InvalidKeyException;
import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.Notice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the ledger must do, on a standalone Redis and on a Redis Cluster alike. Each test uses its own stream
 * name, so tests share one Redis without seeing each other's records.
 */
abstract class LedgerContract {

    static final Duration TTL = Duration.ofHours(48);

    /** The ledger under test, connected once per class. */
    abstract RedisLedger ledger();

    /** Every Redis node, to scan their keys. */
    abstract List<URI> nodes();

    static Scope newScope() {
        return new Scope("orders-" + System.nanoTime(), "billing");
    }

    static List<RecordKey> keys(KinesisLocalSequenceNumbers shard, int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(i -> RecordKey.of(shard.shardId(), shard.record(i, 100)))
                .toList();
    }

    static KinesisLocalSequenceNumbers shard(int index) {
        return new KinesisLocalSequenceNumbers(Instant.parse("2026-11-21T10:00:00Z"), index);
    }

    private Map<Classification, Long> tally(Scope scope, List<RecordKey> keys) {
        return ledger().classify(scope, keys).stream()
                .collect(Collectors.groupingBy(KeyStatus::classification, Collectors.counting()));
    }

    @Test
    void processedSkippedAndUndeliveredAreToldApart() {
        Scope scope = newScope();
        KinesisLocalSequenceNumbers s1 = shard(1);
        List<RecordKey> delivered = keys(s1, 0, 10);
        List<RecordKey> processed = new ArrayList<>(delivered.subList(0, 8));
        processed.add(delivered.get(9));

        RecordOutcome outcome = ledger().record(Notices.of(scope, delivered, processed));

        assertThat(outcome).isEqualTo(new RecordOutcome(true, 9, 0));
        List<RecordKey> asked = new ArrayList<>(delivered);
        asked.add(RecordKey.of(s1.shardId(), s1.record(10, 100)));              // after the delivered range
        asked.add(RecordKey.of(shard(2).shardId(), shard(2).record(0, 100)));    // a shard never seen
        List<KeyStatus> statuses = ledger().classify(scope, asked);
        assertThat(statuses).extracting(KeyStatus::key).containsExactlyElementsOf(asked);
        assertThat(statuses.subList(0, 8)).allMatch(s -> s.classification() == Classification.PROCESSED && s.count() == 1);
        assertThat(statuses.get(8).classification()).isEqualTo(Classification.SKIPPED);
        assertThat(statuses.get(9).classification()).isEqualTo(Classification.PROCESSED);
        assertThat(statuses.get(10).classification()).isEqualTo(Classification.UNDELIVERED);
        assertThat(statuses.get(11).classification()).isEqualTo(Classification.UNDELIVERED);
        assertThat(ledger().shards(scope)).containsExactly(s1.shardId());
    }

    @Test
    void keysOfSeveralShardsInAnyOrderGetTheAnswersOfTheirShardsLookup() {
        Scope scope = newScope();
        KinesisLocalSequenceNumbers a = shard(4);
        KinesisLocalSequenceNumbers b = shard(5);
        List<RecordKey> deliveredA = keys(a, 0, 300);
        List<RecordKey> deliveredB = keys(b, 0, 300);
        ledger().record(Notices.of(scope, deliveredA, deliveredA.subList(0, 200)));
        ledger().record(Notices.of(scope, deliveredB, deliveredB.subList(100, 300)));
        ledger().record(Notices.of(scope, deliveredB.subList(0, 1), deliveredB.subList(0, 1)));

        List<RecordKey> mixed = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            mixed.add(deliveredB.get(299 - i));     // one shard backwards, the other forwards, interleaved
            mixed.add(deliveredA.get(i));
        }
        mixed.add(RecordKey.of(shard(6).shardId(), shard(6).record(0, 100)));    // a shard never seen
        mixed.add(RecordKey.of(a.shardId(), a.record(400, 100)));                // after the delivered range

        List<KeyStatus> statuses = ledger().classify(scope, mixed);
        List<KeyStatus> ofA = ledger().classify(scope, a.shardId(), deliveredA);
        List<KeyStatus> ofB = ledger().classify(scope, b.shardId(), deliveredB);
        assertThat(statuses).extracting(KeyStatus::key).containsExactlyElementsOf(mixed);
        for (int i = 0; i < 300; i++) {
            assertThat(statuses.get(2 * i)).isEqualTo(ofB.get(299 - i));
            assertThat(statuses.get(2 * i + 1)).isEqualTo(ofA.get(i));
        }
        assertThat(ofA).extracting(KeyStatus::classification).containsOnly(Classification.PROCESSED, Classification.SKIPPED);
        assertThat(ofA.subList(200, 300)).allMatch(s -> s.classification() == Classification.SKIPPED);
        assertThat(ofB.get(0)).isEqualTo(new KeyStatus(deliveredB.get(0), Classification.PROCESSED, 1));
        assertThat(ofB.subList(1, 100)).allMatch(s -> s.classification() == Classification.SKIPPED);
        assertThat(ofB.subList(100, 300)).allMatch(s -> s.classification() == Classification.PROCESSED && s.count() == 1);
        assertThat(statuses.subList(600, 602)).extracting(KeyStatus::classification)
                .containsExactly(Classification.UNDELIVERED, Classification.UNDELIVERED);
        assertThatThrownBy(() -> ledger().classify(scope, a.shardId(), mixed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(b.shardId());
    }

    @Test
    void aRedeliveredNoticeChangesNothing() {
        Scope scope = newScope();
        List<RecordKey> batch = keys(shard(0), 0, 50);
        Notice notice = Notices.of(scope, batch, batch);

        assertThat(ledger().record(notice).applied()).isTrue();
        assertThat(ledger().record(notice)).isEqualTo(new RecordOutcome(false, 0, 0));
        assertThat(ledger().record(notice).applied()).isFalse();

        assertThat(ledger().classify(scope, batch)).allMatch(s -> s.classification() == Classification.PROCESSED && s.count() == 1);
    }

    @Test
    void duplicatesAreCountedExactly() {
        Scope scope = newScope();
        KinesisLocalSequenceNumbers s = shard(3);
        List<RecordKey> all = keys(s, 0, 100_000);
        List<Notice> originals = new ArrayList<>();
        for (int from = 0; from < all.size(); from += 2_000) {
            List<RecordKey> batch = all.subList(from, from + 2_000);
            originals.add(Notices.of(scope, batch, batch));
        }
        originals.forEach(ledger()::record);

        // 10,000 records processed again (a failover replays them): new notices, new ids.
        int duplicatesSeen = 0;
        for (int from = 20_000; from < 30_000; from += 2_000) {
            List<RecordKey> batch = all.subList(from, from + 2_000);
            duplicatesSeen += ledger().record(Notices.of(scope, batch, batch)).duplicatesSeen();
        }
        // 10,000 other records whose notices SNS delivered twice: same ids, no effect.
        for (Notice redelivered : originals.subList(25, 30)) {
            assertThat(ledger().record(redelivered).applied()).isFalse();
        }

        List<KeyStatus> statuses = ledger().classify(scope, all);
        List<KeyStatus> duplicated = statuses.stream().filter(k -> k.classification() == Classification.DUPLICATED).toList();
        assertThat(duplicatesSeen).isEqualTo(10_000);
        assertThat(duplicated).hasSize(10_000).allMatch(k -> k.count() == 2);
        assertThat(duplicated).extracting(KeyStatus::key).containsExactlyElementsOf(all.subList(20_000, 30_000));
        assertThat(statuses).filteredOn(k -> k.classification() == Classification.PROCESSED).hasSize(90_000);
    }

    @Test
    void aSecondNoticeForTheSameRecordMakesItADuplicateWithItsCount() {
        Scope scope = newScope();
        List<RecordKey> batch = keys(shard(0), 0, 5);
        for (int i = 0; i < 3; i++) {
            ledger().record(Notices.of(scope, batch, batch.subList(0, 1)));
        }
        assertThat(ledger().classify(scope, batch.subList(0, 1)))
                .containsExactly(new KeyStatus(batch.get(0), Classification.DUPLICATED, 3));
    }

    @Test
    void kplUserRecordsAreCountedBySubSequenceNumber() {
        Scope scope = newScope();
        KinesisLocalSequenceNumbers s = shard(1);
        String aggregated = s.record(7, 100);
        RecordKey user0 = RecordKey.of(s.shardId(), aggregated, 0);
        RecordKey user1 = RecordKey.of(s.shardId(), aggregated, 1);
        RecordKey user2 = RecordKey.of(s.shardId(), aggregated, 2);
        RecordKey plain = RecordKey.of(s.shardId(), aggregated);
        ledger().record(Notices.of(scope, List.of(user0, user1, user2), List.of(user0, user2)));

        assertThat(ledger().classify(scope, List.of(user0, user1, user2, plain))).extracting(KeyStatus::classification)
                .containsExactly(Classification.PROCESSED, Classification.SKIPPED, Classification.PROCESSED, Classification.SKIPPED);
    }

    @Test
    void overlappingDeliveredRangesMergeAndGapsStayUndelivered() {
        Scope scope = newScope();
        KinesisLocalSequenceNumbers s = shard(2);
        List<RecordKey> all = keys(s, 0, 400);
        ledger().record(Notices.of(scope, all.subList(0, 100), List.of()));
        ledger().record(Notices.of(scope, all.subList(50, 150), List.of()));      // a failover replays 50..99
        ledger().record(Notices.of(scope, all.subList(200, 300), List.of()));     // 150..199 never delivered

        Map<Classification, Long> tally = tally(scope, all);
        assertThat(tally).containsEntry(Classification.SKIPPED, 250L).containsEntry(Classification.UNDELIVERED, 150L);
        // The two overlapping batches became one range: each range key holds disjoint members.
        forEachKey(scope, (redis, key) -> {
            if (key.contains(":r:")) {
                assertThat(redis.zcard(key.getBytes(StandardCharsets.UTF_8))).as(key).isLessThanOrEqualTo(2);
            }
        });
    }

    @Test
    void aBatchAcrossALongQuietGapIsKeptWholeAndStillClassifies() {
        Scope scope = newScope();
        KinesisLocalSequenceNumbers s = shard(0);
        RecordKey before = RecordKey.of(s.shardId(), s.record(10, 100));
        RecordKey inside = RecordKey.of(s.shardId(), s.record(5_000_000, 100));
        RecordKey after = RecordKey.of(s.shardId(), s.record(90_000_000, 100));
        ledger().record(Notices.of(scope, keys(s, 0, 20), keys(s, 0, 20)));       // sets the shard's bucket width
        RecordKey first = RecordKey.of(s.shardId(), s.record(1_000, 100));
        RecordKey last = RecordKey.of(s.shardId(), s.record(80_000_000, 100));
        ledger().record(Notices.of(scope, List.of(first, last), List.of(first, last)));

        assertThat(ledger().classify(scope, List.of(before, inside, after, first, last))).extracting(KeyStatus::classification)
                .containsExactly(Classification.PROCESSED, Classification.SKIPPED, Classification.UNDELIVERED,
                        Classification.PROCESSED, Classification.PROCESSED);
    }

    @Test
    void everyKeyExpires() {
        Scope scope = newScope();
        ledger().record(Notices.of(scope, keys(shard(0), 0, 3_000), keys(shard(0), 0, 2_900)));
        ledger().record(Notices.of(scope, keys(shard(1), 0, 10), keys(shard(1), 0, 10)));
        List<String> seen = new ArrayList<>();
        forEachKey(scope, (redis, key) -> {
            seen.add(key);
            assertThat(redis.ttl(key.getBytes(StandardCharsets.UTF_8))).as("TTL of %s", key)
                    .isPositive().isLessThanOrEqualTo(TTL.toSeconds());
        });
        assertThat(seen).anyMatch(k -> k.contains(":b:")).anyMatch(k -> k.contains(":r:"))
                .anyMatch(k -> k.contains(":n:")).anyMatch(k -> k.endsWith(":m")).anyMatch(k -> k.endsWith(":shards"));
    }

    @Test
    void bucketsStaySmallListpacksAtLowAndHighRates() {
        for (double rate : new double[] {10, 1_000}) {
            Scope scope = newScope();
            KinesisLocalSequenceNumbers s = shard(0);
            int batch = rate < 100 ? 10 : 1_000;
            for (int from = 0; from < 20_000; from += batch) {
                List<RecordKey> keys = new ArrayList<>();
                for (int i = from; i < from + batch; i++) {
                    keys.add(RecordKey.of(s.shardId(), s.record(i, rate)));
                }
                ledger().record(Notices.of(scope, keys, keys));
            }
            forEachKey(scope, (redis, key) -> {
                if (key.contains(":b:")) {
                    byte[] k = key.getBytes(StandardCharsets.UTF_8);
                    assertThat(redis.hlen(k)).as("entries of %s at %s/s", key, rate).isBetween(1L, 128L);
                    assertThat(redis.objectEncoding(k)).as("encoding of %s", key).isEqualTo("listpack");
                }
            });
        }
    }

    @Test
    void bareSequenceNumbersResolveToTheirShardOrAreAmbiguous() {
        Scope scope = newScope();
        List<RecordKey> inShard0 = keys(shard(0), 0, 10);
        List<RecordKey> inShard1 = keys(shard(1), 0, 10);
        ledger().record(Notices.of(scope, inShard0, inShard0.subList(0, 5)));
        ledger().record(Notices.of(scope, inShard1, inShard1));
        // The same number recorded in two shards: only the shard-qualified key tells them apart.
        RecordKey twin = RecordKey.of(shard(1).shardId(), inShard0.get(2).sequenceNumber());
        ledger().record(Notices.of(scope, List.of(twin), List.of(twin)));
        String unknown = shard(2).record(0, 100);

        Map<String, List<String>> found = ledger().resolve(scope, List.of(
                inShard0.get(7).sequenceNumber(), inShard1.get(3).sequenceNumber(), inShard0.get(2).sequenceNumber(), unknown));

        assertThat(found.get(inShard0.get(7).sequenceNumber())).containsExactly(shard(0).shardId());
        assertThat(found.get(inShard1.get(3).sequenceNumber())).containsExactly(shard(1).shardId());
        assertThat(found.get(inShard0.get(2).sequenceNumber())).containsExactly(shard(0).shardId(), shard(1).shardId());
        assertThat(found.get(unknown)).isEmpty();
    }

    @Test
    void badSequenceNumbersAndScopesAreRejectedClearly() {
        Scope scope = newScope();
        assertThatThrownBy(() -> ledger().resolve(scope, List.of("4959x1")))
                .isInstanceOf(InvalidKeyException.class).hasMessageContaining("\"4959x1\"").hasMessageContaining("digits");
        assertThatThrownBy(() -> ledger().resolve(scope, List.of("0123")))
                .isInstanceOf(InvalidKeyException.class).hasMessageContaining("leading zero");
        assertThatThrownBy(() -> new Scope("", "billing")).hasMessageContaining("stream name is required");
        assertThatThrownBy(() -> new Scope("orders", "bill\ning")).hasMessageContaining("control character");
    }

    @Test
    void scopesWithBracesInTheirNamesStayInOneSlotAndApart() {
        Scope odd = new Scope("orders{x}", "app}|{");
        Scope plain = new Scope("orders{x}", "app");
        List<RecordKey> batch = keys(shard(0), 0, 20);
        ledger().record(Notices.of(odd, batch, batch));
        assertThat(ledger().classify(odd, batch)).allMatch(k -> k.classification() == Classification.PROCESSED);
        assertThat(ledger().classify(plain, batch)).allMatch(k -> k.classification() == Classification.UNDELIVERED);
    }

    /** Calls {@code check} for every key of the scope on every node. */
    void forEachKey(Scope scope, KeyCheck check) {
        String streamPart = scope.stream().replace("{", "%7B").replace("}", "%7D");
        for (URI node : nodes()) {
            RedisClient client = RedisClient.create(node.toString());
            try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
                RedisCommands<byte[], byte[]> redis = connection.sync();
                ScanIterator<byte[]> keys = ScanIterator.scan(redis, ScanArgs.Builder.limit(1000)
                        .match(("sw:{" + streamPart + "|*").getBytes(StandardCharsets.UTF_8)));
                while (keys.hasNext()) {
                    check.accept(redis, new String(keys.next(), StandardCharsets.UTF_8));
                }
            } finally {
                client.shutdown();
            }
        }
    }

    @FunctionalInterface
    interface KeyCheck {
        void accept(RedisCommands<byte[], byte[]> redis, String key);
    }
}
