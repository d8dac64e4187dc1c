package io.streamwreck.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** jqwik generators of valid shard ids, sequence numbers and record keys, shared by the property tests. */
public final class KeyArbitraries {

    private KeyArbitraries() {
    }

    /** {@code shardId-} and 12 digits, for any shard index 0..999999999999. */
    public static Arbitrary<String> shardIds() {
        return Arbitraries.longs().between(0, 999_999_999_999L).map(KeyArbitraries::shardId);
    }

    public static String shardId(long index) {
        return String.format("shardId-%012d", index);
    }

    /** Canonical sequence numbers of 1..129 digits, without leading zero (but "0" itself is allowed). */
    public static Arbitrary<String> sequenceNumbers() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, sequenceNumbersOfLength(56)), // what Kinesis really hands out
                Tuple.of(2, Arbitraries.integers().between(1, RecordKey.MAX_SEQUENCE_DIGITS)
                        .flatMap(KeyArbitraries::sequenceNumbersOfLength)));
    }

    public static Arbitrary<String> sequenceNumbersOfLength(int digits) {
        if (digits == 1) {
            return Arbitraries.strings().withCharRange('0', '9').ofLength(1);
        }
        Arbitrary<Character> first = Arbitraries.chars().range('1', '9');
        Arbitrary<String> rest = Arbitraries.strings().withCharRange('0', '9').ofLength(digits - 1);
        return Combinators.combine(first, rest).as((f, r) -> f + r);
    }

    /** Sub-sequence numbers 0..Long.MAX_VALUE, or null for a plain record. */
    public static Arbitrary<Long> optionalSubSequenceNumbers() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE).injectNull(0.5);
    }

    /** Any valid key in the given shard, plain or with a sub-sequence number. */
    public static Arbitrary<RecordKey> keysIn(String shardId) {
        return Combinators.combine(sequenceNumbers(), optionalSubSequenceNumbers())
                .as((seq, sub) -> key(shardId, seq, sub));
    }

    /** Any valid key in any shard. */
    public static Arbitrary<RecordKey> keys() {
        return shardIds().flatMap(KeyArbitraries::keysIn);
    }

    public static RecordKey key(String shardId, String sequenceNumber, Long subSequenceNumber) {
        return subSequenceNumber == null
                ? RecordKey.of(shardId, sequenceNumber)
                : RecordKey.of(shardId, sequenceNumber, subSequenceNumber);
    }
}
