package io.streamwreck.core.notice;

import io.streamwreck.core.InvalidKeyException;
import io.streamwreck.core.RecordKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NoticeTest {

    static final String SHARD = "shardId-000000000001";
    static final DeliveredBatch BATCH = new DeliveredBatch("9", "10", 2);
    static final Instant AT = Instant.parse("2026-11-21T23:59:00.123Z");

    @Test
    void keepsACopyOfTheProcessedKeys() {
        List<RecordKey> keys = new ArrayList<>(List.of(RecordKey.of(SHARD, "9")));
        Notice notice = notice("w", keys);

        keys.add(RecordKey.of(SHARD, "10"));

        assertThat(notice.processed()).containsExactly(RecordKey.of(SHARD, "9"));
        assertThatThrownBy(() -> notice.processed().add(RecordKey.of(SHARD, "11")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsAKeyOfAnotherShardNamingItsIndex() {
        List<RecordKey> keys = List.of(RecordKey.of(SHARD, "9"), RecordKey.of("shardId-000000000002", "10"));

        assertThatThrownBy(() -> notice("w", keys))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("processed[1]")
                .hasMessageContaining("shardId-000000000002:10");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void rejectsABlankWorker(String worker) {
        assertThatThrownBy(() -> notice(worker, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("worker");
    }

    @Test
    void rejectsABadShardId() {
        assertThatThrownBy(() -> new Notice(1, "id", "s", "a", "shardId-1", "w", BATCH, List.of(), AT))
                .isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void withProcessedChangesOnlyTheIdAndKeys() {
        Notice original = notice("w", List.of(RecordKey.of(SHARD, "9")));

        Notice copy = original.withProcessed("other", List.of(RecordKey.of(SHARD, "10", 1)));

        assertThat(copy).usingRecursiveComparison().ignoringFields("id", "processed").isEqualTo(original);
        assertThat(copy.id()).isEqualTo("other");
        assertThat(copy.processed()).containsExactly(RecordKey.of(SHARD, "10", 1));
    }

    @Test
    void aBatchComparesSequenceNumbersNumerically() {
        assertThat(new DeliveredBatch("9", "10", 1).last()).isEqualTo("10");
        assertThatThrownBy(() -> new DeliveredBatch("10", "9", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch.first 10 is after batch.last 9");
    }

    @Test
    void aBatchMayHoldOneRecord() {
        assertThat(new DeliveredBatch("7", "7", 1).received()).isEqualTo(1);
    }

    @Test
    void aBatchRejectsNoRecordsAndBadSequenceNumbers() {
        assertThatThrownBy(() -> new DeliveredBatch("7", "7", 0)).hasMessageContaining("batch.received");
        assertThatThrownBy(() -> new DeliveredBatch("07", "7", 1)).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> new DeliveredBatch("7", null, 1)).isInstanceOf(InvalidKeyException.class);
    }

    private static Notice notice(String worker, List<RecordKey> keys) {
        return new Notice(Notice.VERSION, "id-1", "orders", "billing", SHARD, worker, BATCH, keys, AT);
    }
}
