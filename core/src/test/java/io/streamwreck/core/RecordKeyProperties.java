package io.streamwreck.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordKeyProperties {

    @Property
    void parseReadsBackTheTextForm(@ForAll("keys") RecordKey key) {
        RecordKey parsed = RecordKey.parse(key.toString());

        assertThat(parsed).isEqualTo(key).hasSameHashCodeAs(key);
        assertThat(parsed).hasToString(key.toString());
    }

    @Property
    void parseInShardReadsBackTheSequencePart(@ForAll("keys") RecordKey key) {
        assertThat(RecordKey.parseInShard(key.shardId(), key.sequencePart())).isEqualTo(key);
    }

    @Property
    void theTextFormIsShardSequenceAndOptionalSubSequence(@ForAll("shardIndexes") long shardIndex,
                                                          @ForAll("sequenceNumbers") String sequence,
                                                          @ForAll("subSequenceNumbers") Long sub) {
        RecordKey key = KeyArbitraries.key(KeyArbitraries.shardId(shardIndex), sequence, sub);

        String expected = String.format("shardId-%012d:%s", shardIndex, sequence) + (sub == null ? "" : ":" + sub);
        assertThat(key).hasToString(expected);
        assertThat(key.hasSubSequenceNumber()).isEqualTo(sub != null);
    }

    @Property
    void compareToAgreesWithNumericOrderOfSequenceNumbers(@ForAll("keyPairsInOneShard") RecordKey[] pair) {
        RecordKey a = pair[0];
        RecordKey b = pair[1];
        int numeric = new BigInteger(a.sequenceNumber()).compareTo(new BigInteger(b.sequenceNumber()));
        int expected = numeric != 0 ? numeric : Long.compare(subOrMinusOne(a), subOrMinusOne(b));

        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(expected));
        assertThat(Integer.signum(b.compareTo(a))).isEqualTo(-Integer.signum(expected));
        assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
    }

    @Property
    void compareSequenceNumbersAgreesWithBigInteger(@ForAll("sequenceNumbers") String a,
                                                    @ForAll("sequenceNumbers") String b) {
        assertThat(Integer.signum(RecordKey.compareSequenceNumbers(a, b)))
                .isEqualTo(new BigInteger(a).compareTo(new BigInteger(b)));
    }

    @Property
    void keysOfLowerShardsComeFirst(@ForAll("shardIndexes") long shardA, @ForAll("shardIndexes") long shardB,
                                    @ForAll("sequenceNumbers") String seqA, @ForAll("sequenceNumbers") String seqB) {
        RecordKey a = RecordKey.of(KeyArbitraries.shardId(shardA), seqA);
        RecordKey b = RecordKey.of(KeyArbitraries.shardId(shardB), seqB);

        if (shardA != shardB) {
            assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Long.signum(shardA - shardB));
        }
    }

    @Property
    void aLeadingZeroIsNeverAccepted(@ForAll("keys") RecordKey key) {
        String padded = key.shardId() + ":0" + key.sequencePart();
        boolean tooLong = key.sequenceNumber().length() == RecordKey.MAX_SEQUENCE_DIGITS;

        assertThatThrownBy(() -> RecordKey.parse(padded))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining(tooLong ? "at most 129" : "leading zero");
    }

    // ---- generators ------------------------------------------------------------------------------------

    @Provide
    Arbitrary<RecordKey> keys() {
        return KeyArbitraries.keys();
    }

    @Provide
    Arbitrary<Long> shardIndexes() {
        return Arbitraries.longs().between(0, 999_999_999_999L);
    }

    @Provide
    Arbitrary<String> sequenceNumbers() {
        return KeyArbitraries.sequenceNumbers();
    }

    @Provide
    Arbitrary<Long> subSequenceNumbers() {
        return KeyArbitraries.optionalSubSequenceNumbers();
    }

    /**
     * Two keys of one shard. The second sequence number is as often the same as the first (so that the
     * sub-sequence numbers decide), of the same length (so that the digits decide) or unrelated.
     */
    @Provide
    Arbitrary<RecordKey[]> keyPairsInOneShard() {
        return KeyArbitraries.shardIds().flatMap(shard -> KeyArbitraries.sequenceNumbers().flatMap(first -> {
            Arbitrary<String> second = Arbitraries.oneOf(
                    Arbitraries.just(first),
                    KeyArbitraries.sequenceNumbersOfLength(first.length()),
                    KeyArbitraries.sequenceNumbers());
            return Combinators.combine(second, KeyArbitraries.optionalSubSequenceNumbers(),
                            KeyArbitraries.optionalSubSequenceNumbers())
                    .as((s, subA, subB) -> new RecordKey[] {
                            KeyArbitraries.key(shard, first, subA), KeyArbitraries.key(shard, s, subB)});
        }));
    }

    private static long subOrMinusOne(RecordKey key) {
        return key.hasSubSequenceNumber() ? key.subSequenceNumber() : -1;
    }
}
