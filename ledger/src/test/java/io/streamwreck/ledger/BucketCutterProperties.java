package io.streamwreck.ledger;

import io.streamwreck.core.RecordKey;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The cutter's buckets and fields equal BigInteger's on runs of related numbers, across prefix changes and carries. */
class BucketCutterProperties {

    private static final String SHARD = "shardId-000000000001";

    @Provide
    Arbitrary<String> sequenceNumbers() {
        Arbitrary<String> head = Arbitraries.strings().withCharRange('1', '9').ofLength(1);
        Arbitrary<String> tail = Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(128);
        return Arbitraries.oneOf(
                head.flatMap(h -> tail.map(t -> h + t)),
                Arbitraries.just("0"),
                // just below a 10^36 boundary (the cutter's prefix changes) and just below 2^128 (a carry out)
                Arbitraries.of("49680445212678791107153351784069891032792832419716661250",
                        "49680445212678791999999999999999999999999999999999999000",
                        "340282366920938463463374607431768211000",
                        "115792089237316195423570985008687907853269984665640564039457584007913129639000"));
    }

    @Property(tries = 1000)
    void bucketsAndFieldsMatchBigInteger(@ForAll("sequenceNumbers") String base,
                                         @ForAll @IntRange(min = 1, max = 60) int count,
                                         @ForAll @IntRange(min = 0, max = 130) int stepBits,
                                         @ForAll @IntRange(min = 1, max = 440) int shift,
                                         @ForAll boolean aggregated) {
        BucketCutter cutter = new BucketCutter(shift);
        BigInteger n = new BigInteger(base);
        BigInteger previousBucket = null;
        for (int i = 0; i < count; i++) {
            String decimal = n.toString();
            RecordKey key = aggregated ? RecordKey.of(SHARD, decimal, i * 37L) : RecordKey.of(SHARD, decimal);
            BigInteger bucket = n.shiftRight(shift);
            boolean same = cutter.next(decimal);
            if (same) {
                assertThat(bucket).as("%s said to share the bucket of the number before", decimal).isEqualTo(previousBucket);
            }
            assertThat(cutter.bucketHex()).as(decimal).isEqualTo(bucket.toString(16));
            assertThat(cutter.field(key)).as(decimal).isEqualTo(LedgerLayout.field(key, n, shift));
            previousBucket = bucket;
            n = n.add(BigInteger.ONE.shiftLeft(stepBits).multiply(BigInteger.valueOf(i + 1)));
        }
    }

    @Example
    void kinesisLocalNumbersMostlyShareTheirBucketWithoutBuildingIt() {
        // kinesis-local: consecutive records of a shard 2^80 apart, 86-bit buckets (64 records each).
        BucketCutter cutter = new BucketCutter(86);
        BigInteger n = new BigInteger("49680445212678791107153351784069891032792832419716661250");
        int same = 0;
        for (int i = 0; i < 640; i++) {
            same += cutter.next(n.toString()) ? 1 : 0;
            n = n.add(BigInteger.ONE.shiftLeft(80));
        }
        assertThat(same).isGreaterThanOrEqualTo(640 - 11);
    }
}
