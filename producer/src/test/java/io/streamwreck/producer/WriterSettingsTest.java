package io.streamwreck.producer;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WriterSettingsTest {

    @Test
    void defaultsFollowKinesisLimits() {
        WriterSettings s = WriterSettings.forStream("orders").build();

        assertThat(s.recordsPerSecondPerShard()).isEqualTo(1000);
        assertThat(s.bytesPerSecondPerShard()).isEqualTo(1024 * 1024);
        assertThat(s.deadline()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.writtenLog()).isEmpty();
    }

    @Test
    void eachOutOfRangeValueIsNamed() {
        assertThatThrownBy(() -> WriterSettings.forStream(" ").build()).hasMessageContaining("stream name");
        assertThatThrownBy(() -> WriterSettings.forStream("s").deadline(Duration.ZERO).build()).hasMessageContaining("deadline");
        assertThatThrownBy(() -> WriterSettings.forStream("s").linger(Duration.ofMillis(-1)).build()).hasMessageContaining("linger");
        assertThatThrownBy(() -> WriterSettings.forStream("s").recordsPerSecondPerShard(0).build()).hasMessageContaining("records per second");
        assertThatThrownBy(() -> WriterSettings.forStream("s").bytesPerSecondPerShard(Double.NaN).build()).hasMessageContaining("bytes per second");
        assertThatThrownBy(() -> WriterSettings.forStream("s").maxCallsInFlight(0).build()).hasMessageContaining("calls in flight");
        assertThatThrownBy(() -> WriterSettings.forStream("s").maxBufferedRecords(0).build()).hasMessageContaining("buffered records");
        assertThatThrownBy(() -> WriterSettings.forStream("s").maxBufferedBytes(1000).build()).hasMessageContaining("one maximal record");
        assertThatThrownBy(() -> WriterSettings.forStream("s").backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
                .hasMessageContaining("backoff cap");
        assertThatThrownBy(() -> WriterSettings.forStream("s").callTimeout(Duration.ZERO).build()).hasMessageContaining("callTimeout");
    }

    @Test
    void aZeroLingerIsAllowed() {
        assertThat(WriterSettings.forStream("s").linger(Duration.ZERO).build().linger()).isZero();
    }
}
