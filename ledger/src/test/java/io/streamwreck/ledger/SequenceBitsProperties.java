package io.streamwreck.ledger;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast sequence-number arithmetic equals BigInteger's, for every length Kinesis allows. */
class SequenceBitsProperties {

    @Provide
    Arbitrary<String> sequenceNumbers() {
        Arbitrary<String> head = Arbitraries.strings().withCharRange('1', '9').ofLength(1);
        Arbitrary<String> tail = Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(128);
        return Arbitraries.oneOf(
                head.flatMap(h -> tail.map(t -> h + t)),
                Arbitraries.just("0"),
                Arbitraries.of("49680445212678791107153351784069891032792832419716661250", "4294967296", "4294967295"));
    }

    @Property(tries = 2000)
    void bucketAndLowBitsMatchBigInteger(@ForAll("sequenceNumbers") String decimal, @ForAll @IntRange(min = 1, max = 440) int shift) {
        BigInteger n = new BigInteger(decimal);
        SequenceBits bits = SequenceBits.parse(decimal);
        assertThat(bits.bucketHex(shift)).isEqualTo(n.shiftRight(shift).toString(16));
        assertThat(bits.lowBytes(shift)).isEqualTo(LedgerLayout.lowBits(n, shift));
        assertThat(bits.testBit(shift - 1)).isEqualTo(n.testBit(shift - 1));
    }

    @Property(tries = 300)
    void theCachingParserEqualsTheSimpleOneOnRunsOfRelatedNumbers(@ForAll("sequenceNumbers") String base,
                                                                 @ForAll @IntRange(min = 1, max = 50) int count,
                                                                 @ForAll @IntRange(min = 0, max = 120) int stepBits) {
        SequenceBits.Parser parser = new SequenceBits.Parser();
        BigInteger n = new BigInteger(base);
        for (int i = 0; i < count; i++) {
            String decimal = n.toString();
            SequenceBits cached = parser.parse(decimal);
            assertThat(cached.bucketHex(7)).as(decimal).isEqualTo(SequenceBits.parse(decimal).bucketHex(7));
            assertThat(cached.lowBytes(200)).as(decimal).isEqualTo(LedgerLayout.lowBits(n, 200));
            n = n.add(BigInteger.ONE.shiftLeft(stepBits).multiply(BigInteger.valueOf(i + 1)));
        }
    }
}
