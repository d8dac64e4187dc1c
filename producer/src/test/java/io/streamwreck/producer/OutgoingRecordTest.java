package io.streamwreck.producer;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutgoingRecordTest {

    @Test
    void aRecordOfExactlyOneMebibyteDataPlusKeyIsAccepted() {
        OutgoingRecord record = OutgoingRecord.of("key", new byte[KinesisLimits.MAX_RECORD_BYTES - 3]);

        assertThat(record.sizeInBytes()).isEqualTo(KinesisLimits.MAX_RECORD_BYTES);
    }

    @Test
    void aRecordOneByteOverOneMebibyteIsRejectedWithItsSizeAndTheLimit() {
        assertThatThrownBy(() -> OutgoingRecord.of("key", new byte[KinesisLimits.MAX_RECORD_BYTES - 2]))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("record is 1048577 bytes (data 1048574 + partition key 3); Kinesis allows at most 1048576 bytes (1 MiB) per record");
    }

    @Test
    void thePartitionKeyCountsInUtf8BytesTowardsTheSize() {
        String key = "ü".repeat(100);

        assertThat(OutgoingRecord.of(key, new byte[10]).sizeInBytes()).isEqualTo(210);
        assertThatThrownBy(() -> OutgoingRecord.of(key, new byte[KinesisLimits.MAX_RECORD_BYTES - 199]))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("partition key 200");
    }

    @Test
    void aPartitionKeyOf256CharactersIsAcceptedAnd257AreRejected() {
        assertThat(OutgoingRecord.of("k".repeat(256), new byte[0]).partitionKey()).hasSize(256);

        assertThatThrownBy(() -> OutgoingRecord.of("k".repeat(257), new byte[0]))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("has 257 characters; Kinesis allows at most 256")
                .hasMessageContaining("\"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk…\"");
    }

    @Test
    void partitionKeyLengthCountsCharactersNotUtf16Units() {
        String emoji = "\uD83D\uDE00";

        assertThat(OutgoingRecord.of(emoji.repeat(256), new byte[0]).partitionKey()).hasSize(512);
        assertThatThrownBy(() -> OutgoingRecord.of(emoji.repeat(257), new byte[0])).hasMessageContaining("257 characters");
    }

    @Test
    void aMissingPartitionKeyOrDataIsRejected() {
        assertThatThrownBy(() -> OutgoingRecord.of("", new byte[1])).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("a partition key is required");
        assertThatThrownBy(() -> OutgoingRecord.of(null, new byte[1])).isInstanceOf(InvalidRecordException.class);
        assertThatThrownBy(() -> OutgoingRecord.of("k", (byte[]) null)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("data is required");
    }

    @Test
    void anExplicitHashKeyMustBeADecimalInTheHashKeySpace() {
        String max = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE).toString();

        assertThat(OutgoingRecord.of("k", new byte[1]).withExplicitHashKey(max).explicitHashKey()).contains(max);
        assertThat(OutgoingRecord.of("k", new byte[1]).withExplicitHashKey("0").explicitHashKey()).contains("0");
        for (String bad : new String[] {BigInteger.ONE.shiftLeft(128).toString(), "-1", "01", "12a", "", " 5"}) {
            assertThatThrownBy(() -> OutgoingRecord.of("k", new byte[1]).withExplicitHashKey(bad)).as(bad)
                    .isInstanceOf(InvalidRecordException.class).hasMessageContaining("is not a decimal number from 0 to 2^128-1");
        }
    }

    @Test
    void anIdMustFitOnOneTabSeparatedLogLine() {
        assertThat(OutgoingRecord.of("k", new byte[1]).withId("order 17").id()).contains("order 17");

        assertThatThrownBy(() -> OutgoingRecord.of("k", new byte[1]).withId("a\tb")).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("\"a\\u0009b\"").hasMessageContaining("tabs and line breaks");
        assertThatThrownBy(() -> OutgoingRecord.of("k", new byte[1]).withId("a\nb")).isInstanceOf(InvalidRecordException.class);
        assertThatThrownBy(() -> OutgoingRecord.of("k", new byte[1]).withId("")).isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void errorsOfARecordWithAnIdNameIt() {
        OutgoingRecord record = OutgoingRecord.of("k", new byte[1]).withId("order-17");

        assertThatThrownBy(() -> record.withExplicitHashKey("x")).hasMessageStartingWith("record \"order-17\": explicit hash key \"x\"");
    }

    @Test
    void theDataIsCopiedFromAByteArray() {
        byte[] data = "abc".getBytes(StandardCharsets.UTF_8);
        OutgoingRecord record = OutgoingRecord.of("k", data);
        data[0] = 'X';

        assertThat(record.data().asUtf8String()).isEqualTo("abc");
    }
}
