package io.streamwreck.producer.cli;

import io.streamwreck.producer.OutgoingRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadGeneratorTest {

    @Test
    void aRecordCarriesItsIdAtTheStartOfItsDataAndIsExactlyTheRequestedSize() {
        OutgoingRecord r = new LoadGenerator("run1", 20, 0).record(7);

        assertThat(r.id()).contains("run1-7");
        assertThat(r.partitionKey()).isEqualTo("run1-7");
        assertThat(r.data().asUtf8String()).isEqualTo("run1-7 .............");
    }

    @Test
    void dataShorterThanTheIdIsCutToTheSize() {
        assertThat(new LoadGenerator("abcdef", 3, 0).record(1).data().asUtf8String()).isEqualTo("abc");
        assertThat(new LoadGenerator("abcdef", 0, 0).record(1).data().asByteArray()).isEmpty();
    }

    @Test
    void withKPartitionKeysRecordsTakeThemInTurn() {
        LoadGenerator generator = new LoadGenerator("r", 10, 3);

        assertThat(java.util.stream.LongStream.rangeClosed(1, 6).mapToObj(n -> generator.record(n).partitionKey()))
                .containsExactly("pk-1", "pk-2", "pk-0", "pk-1", "pk-2", "pk-0");
    }

    @Test
    void recordsDoNotShareTheirDataArrays() {
        LoadGenerator generator = new LoadGenerator("r", 10, 0);

        assertThat(generator.record(1).data().asUtf8String()).startsWith("r-1 ");
        assertThat(generator.record(2).data().asUtf8String()).startsWith("r-2 ");
        assertThat(generator.record(1).data().asUtf8String()).isEqualTo("r-1 ......");
    }

    @Test
    void impossibleSizesAreRefused() {
        assertThatThrownBy(() -> new LoadGenerator("r", -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoadGenerator("r", 10, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
