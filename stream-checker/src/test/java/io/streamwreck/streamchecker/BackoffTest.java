package io.streamwreck.streamchecker;

import org.junit.jupiter.api.RepeatedTest;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));

    @RepeatedTest(20)
    void waitsGrowWithTheAttemptUpToTheCapAndNeverDropToZero() {
        assertThat(backoff.delayMillis(0)).isBetween(100L, 200L);
        assertThat(backoff.delayMillis(2)).isBetween(100L, 800L);
        assertThat(backoff.delayMillis(40)).isBetween(100L, 5_000L);
    }
}
