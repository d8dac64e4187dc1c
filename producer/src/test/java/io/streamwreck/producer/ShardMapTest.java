package io.streamwreck.producer;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShardMapTest {

    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    @Test
    void thePartitionKeyHashIsTheMd5OfItsUtf8BytesAsAnUnsignedNumber() {
        // md5("") = d41d8cd98f00b204e9800998ecf8427e; md5("a") = 0cc175b9c0f1b6a831c399e269772661: both
        // checkable with any md5 tool. The first has its top bit set, so it must not come out negative.
        assertThat(ShardMap.hashOf("")).isEqualTo(new BigInteger("d41d8cd98f00b204e9800998ecf8427e", 16));
        assertThat(ShardMap.hashOf("a")).isEqualTo(new BigInteger("0cc175b9c0f1b6a831c399e269772661", 16));
        assertThat(ShardMap.hashOf("")).isPositive();
    }

    @Test
    void eachHashGoesToTheShardWhoseRangeHoldsIt() {
        BigInteger half = MAX.shiftRight(1);
        ShardMap map = new ShardMap(List.of(
                new ShardMap.Range("shardId-000000000002", half.add(BigInteger.ONE), MAX),
                new ShardMap.Range("shardId-000000000001", BigInteger.ZERO, half)));

        assertThat(map.shardForHash(BigInteger.ZERO)).isEqualTo("shardId-000000000001");
        assertThat(map.shardForHash(half)).isEqualTo("shardId-000000000001");
        assertThat(map.shardForHash(half.add(BigInteger.ONE))).isEqualTo("shardId-000000000002");
        assertThat(map.shardForHash(MAX)).isEqualTo("shardId-000000000002");
        // md5("a") starts with 0x0c: the lower half.
        assertThat(map.shardFor(OutgoingRecord.of("a", new byte[0]))).isEqualTo("shardId-000000000001");
        // An explicit hash key wins over the partition key.
        assertThat(map.shardFor(OutgoingRecord.of("a", new byte[0]).withExplicitHashKey(MAX.toString())))
                .isEqualTo("shardId-000000000002");
        assertThat(map.contains("shardId-000000000002")).isTrue();
        assertThat(map.contains("shardId-000000000003")).isFalse();
    }
}
