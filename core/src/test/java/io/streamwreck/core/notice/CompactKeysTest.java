package io.streamwreck.core.notice;

import io.streamwreck.core.RecordKey;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompactKeysTest {

    private static final String SHARD = "shardId-000000000003";
    private static final BigInteger FIRST = new BigInteger("49591585917767627211020937568791696204996217827017883650");
    private static final BigInteger STEP = BigInteger.ONE.shiftLeft(80);

    @Test
    void aFullKclBatchOfConsecutiveRecordsTakesAFewBytesPerKey() {
        List<RecordKey> keys = consecutive(10_000);

        String encoded = CompactKeys.encode(FIRST.toString(), keys);

        assertThat(CompactKeys.decode(SHARD, FIRST.toString(), encoded, keys.size())).containsExactlyElementsOf(keys);
        // As JSON decimals the same keys take ~59 bytes each; SNS cost depends on this ratio.
        assertThat(encoded.length()).isLessThan(keys.size() * 2);
    }

    @Test
    void subSequenceNumbersAndPlainRecordsKeepTheirForm() {
        List<RecordKey> keys = List.of(
                RecordKey.of(SHARD, FIRST.toString(), 0),
                RecordKey.of(SHARD, FIRST.toString(), 1),
                RecordKey.of(SHARD, FIRST.add(STEP).toString()),
                RecordKey.of(SHARD, FIRST.toString(), Long.MAX_VALUE - 1));

        String encoded = CompactKeys.encode(FIRST.toString(), keys);

        assertThat(CompactKeys.decode(SHARD, FIRST.toString(), encoded, 4)).containsExactlyElementsOf(keys);
    }

    @Test
    void aCountThatDoesNotMatchTheDataIsRejected() {
        String encoded = CompactKeys.encode(FIRST.toString(), consecutive(3));

        assertThatThrownBy(() -> CompactKeys.decode(SHARD, FIRST.toString(), encoded, 4))
                .isInstanceOf(NoticeFormatException.class).hasMessageContaining("ends inside key 3");
        assertThatThrownBy(() -> CompactKeys.decode(SHARD, FIRST.toString(), encoded, 2))
                .isInstanceOf(NoticeFormatException.class).hasMessageContaining("more than the 2 keys");
    }

    @Test
    void aCountFarBeyondTheDataIsRejectedBeforeAnythingIsAllocated() {
        String encoded = CompactKeys.encode(FIRST.toString(), consecutive(3));

        assertThatThrownBy(() -> CompactKeys.decode(SHARD, FIRST.toString(), encoded, Integer.MAX_VALUE))
                .isInstanceOf(NoticeFormatException.class).hasMessageContaining("too short for the 2147483647 keys");
    }

    @Test
    void textThatIsNotBase64OrNotDeflateIsRejectedNamingTheField() {
        assertThatThrownBy(() -> CompactKeys.decode(SHARD, "1", "not base64!", 1))
                .isInstanceOf(NoticeFormatException.class).hasMessageContaining("\"keys\" is not base64");
        assertThatThrownBy(() -> CompactKeys.decode(SHARD, "1", "AAAA", 1))
                .isInstanceOf(NoticeFormatException.class).hasMessageContaining("\"keys\"");
    }

    @Test
    void aDeltaBelowZeroOverallIsRejected() {
        String encoded = CompactKeys.encode("100", List.of(RecordKey.of(SHARD, "5")));

        assertThatThrownBy(() -> CompactKeys.decode(SHARD, "1", encoded, 1))
                .isInstanceOf(NoticeFormatException.class).hasMessageContaining("negative");
    }

    @Test
    void theCodecRejectsAVersionTwoNoticeWithoutCount() {
        NoticeCodec codec = new NoticeCodec();
        Notice notice = new Notice(Notice.COMPACT_VERSION, "n-1", "orders", "billing", SHARD, "w",
                new DeliveredBatch(FIRST.toString(), FIRST.add(STEP.multiply(BigInteger.TWO)).toString(), 3),
                consecutive(3), Instant.parse("2026-11-22T00:00:00Z"));
        String json = codec.encode(notice);
        assertThat(json).contains("\"v\":2").contains("\"count\":3").doesNotContain("processed");

        assertThatThrownBy(() -> codec.decode(json.replace("\"count\":3,", "")))
                .isInstanceOf(NoticeFormatException.class).hasMessageContaining("\"count\"");
    }

    private static List<RecordKey> consecutive(int n) {
        List<RecordKey> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add(RecordKey.of(SHARD, FIRST.add(STEP.multiply(BigInteger.valueOf(i))).toString()));
        }
        return keys;
    }
}
