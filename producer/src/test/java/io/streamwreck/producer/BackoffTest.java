package io.streamwreck.producer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    private static final long MS = 1_000_000;

    @Test
    void theCeilingDoublesFromTheBaseUntilTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));

        assertThat(List.of(1, 2, 3, 4, 5, 6).stream().map(n -> backoff.ceilingNanos(n) / MS).toList())
                .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
    }

    @Test
    void veryHighRetryNumbersStayAtTheCapWithoutOverflow() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

        assertThat(backoff.ceilingNanos(63)).isEqualTo(5_000 * MS);
        assertThat(backoff.ceilingNanos(1_000)).isEqualTo(5_000 * MS);
        assertThat(backoff.ceilingNanos(Integer.MAX_VALUE)).isEqualTo(5_000 * MS);
    }

    @Test
    void theDelayIsDrawnUniformlyUpToTheCeiling() {
        List<Long> bounds = new ArrayList<>();
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), bound -> {
            bounds.add(bound);
            return bound / 2;
        });

        assertThat(backoff.delayNanos(3)).isEqualTo(20 * MS);
        assertThat(bounds).containsExactly(40 * MS);
    }

    @Test
    void realDelaysAreSpreadOverTheWholeRange() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(100));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            long d = backoff.delayNanos(1);
            assertThat(d).isBetween(0L, 100 * MS);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        // Full jitter: some retries go almost at once, others near the ceiling.
        assertThat(min).isLessThan(10 * MS);
        assertThat(max).isGreaterThan(90 * MS);
    }

    @Test
    void aBaseAboveTheCapOrRetryZeroIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Duration.ofSeconds(1)).ceilingNanos(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
