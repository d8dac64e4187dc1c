package io.streamwreck.core.kpl;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KplAggregateTest {

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Magic, then the protobuf, then its MD5: the layout of aggregation-format.md, assembled by hand here. */
    private static byte[] aggregate(String protobufHex) throws Exception {
        byte[] protobuf = HEX.parseHex(protobufHex);
        byte[] digest = MessageDigest.getInstance("MD5").digest(protobuf);
        return HEX.parseHex("f3899ac2" + protobufHex + HEX.formatHex(digest));
    }

    @Test
    void encodesTheWireFormatByteForByte() throws Exception {
        byte[] encoded = KplAggregate.encode(List.of(KplUserRecord.of("a", utf8("x"))));

        // partition_key_table "a" (0a 01 61); records[0] (1a 05) = partition_key_index 0 (08 00), data "x" (1a 01 78)
        assertThat(HEX.formatHex(encoded)).isEqualTo(HEX.formatHex(aggregate("0a0161" + "1a05" + "0800" + "1a0178")));
    }

    @Test
    void writesEachPartitionKeyAndHashKeyOnceAndRefersToThemByIndex() throws Exception {
        byte[] encoded = KplAggregate.encode(List.of(
                KplUserRecord.of("a", utf8("1")),
                new KplUserRecord("b", "7", utf8("2")),
                new KplUserRecord("a", "7", utf8("3"))));

        String protobuf = "0a0161" + "0a0162" + "120137"
                + "1a05" + "0800" + "1a0131"
                + "1a07" + "0801" + "1000" + "1a0132"
                + "1a07" + "0800" + "1000" + "1a0133";
        assertThat(HEX.formatHex(encoded)).isEqualTo(HEX.formatHex(aggregate(protobuf)));
    }

    @Test
    void decodesUserRecordsInOrderWithTheirKeys() {
        List<KplUserRecord> records = List.of(
                KplUserRecord.of("order-1", utf8("first")),
                new KplUserRecord("order-2", "340282366920938463463374607431768211455", utf8("second")),
                KplUserRecord.of("order-1", new byte[0]));

        assertThat(KplAggregate.decode(KplAggregate.encode(records))).contains(records);
        assertThat(KplAggregate.userRecordCount(KplAggregate.encode(records))).isEqualTo(3);
    }

    @Test
    void encodesPayloadsUnderOnePartitionKey() {
        byte[] encoded = KplAggregate.encode("k", List.of(utf8("a"), utf8("b")));

        assertThat(KplAggregate.decode(encoded)).contains(List.of(KplUserRecord.of("k", utf8("a")), KplUserRecord.of("k", utf8("b"))));
    }

    @Test
    void readsTablesThatFollowTheRecordsAndSkipsFieldsItDoesNotUse() throws Exception {
        // records[0] with a tag {key "t"} (22 03 0a 01 74), then the table; plus an unknown varint field 9 at the top.
        byte[] record = aggregate("1a0a" + "0800" + "1a0178" + "2203" + "0a0174" + "0a0161" + "4801");

        assertThat(KplAggregate.decode(record)).contains(List.of(KplUserRecord.of("a", utf8("x"))));
    }

    @Test
    void aRecordWithoutTheMagicIsPlain() {
        assertThat(KplAggregate.decode(utf8("{\"order\":1} and some more text to be long enough"))).isEmpty();
        assertThat(KplAggregate.userRecordCount(utf8("plain"))).isEqualTo(-1);
        assertThat(KplAggregate.decode(new byte[0])).isEmpty();
    }

    @Test
    void aRecordWhoseMd5DoesNotMatchIsPlain() {
        byte[] encoded = KplAggregate.encode(List.of(KplUserRecord.of("a", utf8("payload"))));
        encoded[encoded.length - 1] ^= 1;

        assertThat(KplAggregate.hasMagic(encoded)).isTrue();
        assertThat(KplAggregate.decode(encoded)).isEmpty();
        assertThat(KplAggregate.userRecordCount(encoded)).isEqualTo(-1);
    }

    @Test
    void aRecordOnlyAsLongAsMagicAndDigestIsPlain() {
        byte[] tooShort = new byte[20];
        System.arraycopy(KplAggregate.magic(), 0, tooShort, 0, 4);

        assertThat(KplAggregate.hasMagic(tooShort)).isFalse();
        assertThat(KplAggregate.decode(tooShort)).isEmpty();
    }

    @Test
    void aMatchingDigestOverAnUnparsableMessageIsPlain() throws Exception {
        // A length that runs past the end; then a partition key index with no table entry; then no data field.
        assertThat(KplAggregate.decode(aggregate("0a0961"))).isEmpty();
        assertThat(KplAggregate.decode(aggregate("0a0161" + "1a05" + "0801" + "1a0178"))).isEmpty();
        assertThat(KplAggregate.decode(aggregate("0a0161" + "1a02" + "0800"))).isEmpty();
        assertThat(KplAggregate.userRecordCount(aggregate("0a0161" + "1a05" + "0800" + "1a0978"))).isEqualTo(-1);
    }

    @Test
    void anAggregateWithNoUserRecordsDecodesToNone() throws Exception {
        assertThat(KplAggregate.decode(aggregate("0a0161"))).contains(List.of());
    }

    @Test
    void refusesToEncodeNothing() {
        assertThatThrownBy(() -> KplAggregate.encode(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one user record");
    }

    @Test
    void userRecordsAreValues() {
        assertThat(KplUserRecord.of("a", utf8("x"))).isEqualTo(KplUserRecord.of("a", utf8("x")))
                .hasSameHashCodeAs(KplUserRecord.of("a", utf8("x")))
                .isNotEqualTo(KplUserRecord.of("a", utf8("y")));
    }
}
