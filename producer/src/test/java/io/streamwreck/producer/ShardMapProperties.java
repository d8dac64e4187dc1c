package io.streamwreck.producer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShardMapProperties {

    private static final BigInteger SPACE = BigInteger.ONE.shiftLeft(128);

    /** However the key space is cut into shards, a hash goes to the one range that contains it. */
    @Property
    void everyHashLandsInTheRangeThatHoldsIt(@ForAll @IntRange(min = 1, max = 64) int shards, @ForAll("hashes") BigInteger hash) {
        List<ShardMap.Range> ranges = new ArrayList<>();
        BigInteger width = SPACE.divide(BigInteger.valueOf(shards));
        for (int i = 0; i < shards; i++) {
            BigInteger start = width.multiply(BigInteger.valueOf(i));
            BigInteger end = i == shards - 1 ? SPACE.subtract(BigInteger.ONE) : start.add(width).subtract(BigInteger.ONE);
            ranges.add(new ShardMap.Range(String.format("shardId-%012d", i), start, end));
        }
        Collections.shuffle(ranges);
        ShardMap map = new ShardMap(ranges);

        String shard = map.shardForHash(hash);

        ShardMap.Range range = ranges.stream().filter(r -> r.shardId().equals(shard)).findFirst().orElseThrow();
        assertThat(hash).isBetween(range.startingHashKey(), range.endingHashKey());
    }

    @Provide
    Arbitrary<BigInteger> hashes() {
        return Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(BigInteger.ZERO, SPACE.subtract(BigInteger.ONE)),
                Arbitraries.of(BigInteger.ZERO, SPACE.subtract(BigInteger.ONE), SPACE.shiftRight(1), SPACE.shiftRight(1).subtract(BigInteger.ONE)),
                Arbitraries.strings().ofMaxLength(20).map(ShardMap::hashOf));
    }
}
