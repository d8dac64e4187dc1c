package io.streamwreck.core.kpl;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KplAggregateProperties {

    @Property
    void decodingGivesBackWhatWasEncoded(@ForAll("userRecords") @Size(min = 1, max = 40) List<KplUserRecord> records) {
        byte[] encoded = KplAggregate.encode(records);

        assertThat(KplAggregate.decode(encoded)).contains(records);
        assertThat(KplAggregate.userRecordCount(encoded)).isEqualTo(records.size());
    }

    @Property
    void anyFlippedBitMakesItAPlainRecordOrLeavesItIntact(@ForAll("userRecords") @Size(min = 1, max = 10) List<KplUserRecord> records,
                                                          @ForAll int position) {
        byte[] encoded = KplAggregate.encode(records);
        int bit = Math.floorMod(position, encoded.length * 8);
        encoded[bit / 8] ^= (byte) (1 << (bit % 8));

        // The magic or the MD5 no longer matches: never a different list of user records, never an exception.
        assertThat(KplAggregate.decode(encoded)).isEmpty();
    }

    @Property
    void bytesThatDoNotStartWithTheMagicArePlain(@ForAll byte[] data) {
        if (KplAggregate.hasMagic(data)) {
            return;
        }
        assertThat(KplAggregate.decode(data)).isEmpty();
    }

    @Provide
    Arbitrary<List<KplUserRecord>> userRecords() {
        Arbitrary<String> keys = Arbitraries.strings().alpha().numeric().withChars("-_:é€").ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> hashKeys = Arbitraries.bigIntegers().between(java.math.BigInteger.ZERO,
                java.math.BigInteger.TWO.pow(128).subtract(java.math.BigInteger.ONE)).map(Object::toString).injectNull(0.5);
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Combinators.combine(keys, hashKeys, data).as(KplUserRecord::new).list();
    }
}
