package io.streamwreck.producer;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ShardQueuesTest {

    private long ordinal;

    private PendingRecord pending(String shardId, int dataBytes) {
        long n = ++ordinal;
        PendingRecord p = new PendingRecord(OutgoingRecord.of("k", new byte[dataBytes]), BigInteger.ZERO, n, n, n + 1_000_000);
        p.shardId = shardId;
        return p;
    }

    private static ShardThrottle unlimited() {
        return new ShardThrottle(1e9, 1e12);
    }

    @Test
    void aBatchHoldsAtMost500Records() {
        ShardQueues queues = new ShardQueues();
        for (int i = 0; i < 1200; i++) {
            queues.add(pending("s" + (i % 3), 10));
        }

        List<PendingRecord> batch = queues.take(unlimited(), 0, KinesisLimits.MAX_RECORDS_PER_CALL, KinesisLimits.MAX_BYTES_PER_CALL);

        assertThat(batch).hasSize(500);
        assertThat(queues.records()).isEqualTo(700);
        assertThat(queues.bytes()).isEqualTo(700 * 11);
        // Round-robin: the shards share the batch evenly.
        Map<String, Long> perShard = batch.stream().collect(Collectors.groupingBy(p -> p.shardId, Collectors.counting()));
        assertThat(perShard.values()).allSatisfy(n -> assertThat(n).isBetween(166L, 167L));
    }

    @Test
    void aBatchHoldsAtMostFiveMebibytes() {
        ShardQueues queues = new ShardQueues();
        int big = 1024 * 1024 - 1;
        for (int i = 0; i < 7; i++) {
            queues.add(pending("s" + i, big));
        }

        List<PendingRecord> batch = queues.take(unlimited(), 0, KinesisLimits.MAX_RECORDS_PER_CALL, KinesisLimits.MAX_BYTES_PER_CALL);

        assertThat(batch).hasSize(5);
        assertThat(batch.stream().mapToLong(PendingRecord::size).sum()).isLessThanOrEqualTo(KinesisLimits.MAX_BYTES_PER_CALL);
    }

    @Test
    void eachShardGivesItsOldestRecordsFirst() {
        ShardQueues queues = new ShardQueues();
        List<PendingRecord> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(pending("s", 1));
        }
        // Put them in out of order, as retries coming back from backoff would be.
        for (int i = 9; i >= 0; i--) {
            queues.add(all.get(i));
        }

        List<PendingRecord> batch = queues.take(unlimited(), 0, 4, KinesisLimits.MAX_BYTES_PER_CALL);

        assertThat(batch).containsExactly(all.get(0), all.get(1), all.get(2), all.get(3));
        assertThat(queues.earliestDeadline()).isEqualTo(all.get(4).deadline);
        assertThat(queues.oldestAcceptedAt()).isEqualTo(all.get(4).acceptedAt);
    }

    @Test
    void eachShardGivesOnlyWhatItsRateAllowsAndPutBackRefundsIt() {
        ShardQueues queues = new ShardQueues();
        for (int i = 0; i < 50; i++) {
            queues.add(pending("a", 1));
            queues.add(pending("b", 1));
        }
        // 100 records/s per shard: a burst of 10 each.
        ShardThrottle throttle = new ShardThrottle(100, 1e12);

        List<PendingRecord> batch = queues.take(throttle, 0, 500, KinesisLimits.MAX_BYTES_PER_CALL);

        assertThat(batch.stream().filter(p -> p.shardId.equals("a"))).hasSize(10);
        assertThat(batch.stream().filter(p -> p.shardId.equals("b"))).hasSize(10);
        assertThat(queues.nanosUntilSendable(throttle, 0)).isPositive();

        queues.putBack(batch, throttle, 0);

        assertThat(queues.records()).isEqualTo(100);
        assertThat(queues.take(throttle, 0, 500, KinesisLimits.MAX_BYTES_PER_CALL)).hasSize(20);
    }

    @Test
    void expireRemovesExactlyTheRecordsWhoseDeadlineHasCome() {
        ShardQueues queues = new ShardQueues();
        PendingRecord early = pending("a", 1);
        PendingRecord later = pending("b", 1);
        queues.add(later);
        queues.add(early);
        List<PendingRecord> expired = new ArrayList<>();

        queues.expire(early.deadline, expired::add);

        assertThat(expired).containsExactly(early);
        assertThat(queues.records()).isEqualTo(1);
    }

    @Test
    void rebucketMovesRecordsToTheShardsOfANewMap() {
        ShardQueues queues = new ShardQueues();
        queues.add(pending("shardId-000000000000", 1));
        queues.add(pending("shardId-000000000000", 1));
        ShardMap split = new ShardMap(List.of(new ShardMap.Range("shardId-000000000001", BigInteger.ZERO, BigInteger.TEN),
                new ShardMap.Range("shardId-000000000002", BigInteger.valueOf(11), BigInteger.ONE.shiftLeft(128))));

        queues.rebucket(split);

        List<PendingRecord> batch = queues.take(unlimited(), 0, 500, KinesisLimits.MAX_BYTES_PER_CALL);
        assertThat(batch).hasSize(2).allSatisfy(p -> assertThat(p.shardId).isEqualTo("shardId-000000000001"));
    }
}
