package io.streamwreck.streamchecker;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ScanWindowTest {

    private final Instant start = Instant.parse("2026-11-22T10:00:00Z");
    private final ScanWindow window = new ScanWindow(start, Duration.ofSeconds(60));

    @Test
    void recordsFromTheScanStartOnAreAfterTheTip() {
        assertThat(window.beforeTip(start.minusMillis(1))).isTrue();
        assertThat(window.beforeTip(start)).isFalse();
        assertThat(window.beforeTip(start.plusSeconds(5))).isFalse();
    }

    @Test
    void recordsYoungerThanTheSettleWindowAreInFlight() {
        assertThat(window.inFlight(start.minusSeconds(60))).isFalse();
        assertThat(window.inFlight(start.minusSeconds(60).plusMillis(1))).isTrue();
        assertThat(window.inFlight(start.minusMillis(1))).isTrue();
    }

    @Test
    void withNoSettleWindowNothingBeforeTheTipIsInFlight() {
        ScanWindow none = new ScanWindow(start, Duration.ZERO);

        assertThat(none.inFlight(start.minusMillis(1))).isFalse();
    }
}
