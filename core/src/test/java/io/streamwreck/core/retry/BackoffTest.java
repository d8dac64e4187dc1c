package io.streamwreck.core.retry;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The producer's and the stream-checker's backoff tests, merged with the unified backoff. */
class BackoffTest {

    private static final long MS = 1_000_000;

    // --- from the producer's BackoffTest

    @Test
    void theCeilingDoublesFromTheBaseUntilTheCap() {
        Backoff backoff = Backoff.of(Duration.ofMillis(100), Duration.ofMillis(1000));

        assertThat(List.of(1, 2, 3, 4, 5, 6).stream().map(n -> backoff.ceilingNanos(n) / MS).toList())
                .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
    }

    @Test
    void veryHighRetryNumbersStayAtTheCapWithoutOverflow() {
        Backoff backoff = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(5));

        assertThat(backoff.ceilingNanos(63)).isEqualTo(5_000 * MS);
        assertThat(backoff.ceilingNanos(1_000)).isEqualTo(5_000 * MS);
        assertThat(backoff.ceilingNanos(Integer.MAX_VALUE)).isEqualTo(5_000 * MS);
    }

    @Test
    void theDelayIsDrawnUniformlyUpToTheCeiling() {
        List<Long> bounds = new ArrayList<>();
        Backoff backoff = Backoff.of(Duration.ofMillis(10), Duration.ofMillis(50), bound -> {
            bounds.add(bound);
            return bound / 2;
        });

        assertThat(backoff.delayNanos(3)).isEqualTo(20 * MS);
        assertThat(bounds).containsExactly(40 * MS);
    }

    @Test
    void realDelaysAreSpreadOverTheWholeRange() {
        Backoff backoff = Backoff.of(Duration.ofMillis(100), Duration.ofMillis(100));
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
        assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.of(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.of(Duration.ofMillis(1), Duration.ofSeconds(1)).ceilingNanos(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- from the stream-checker's BackoffTest (its attempt 0 is retry 1 here; its floor was half the base)

    private final Backoff floored = Backoff.of(Duration.ofMillis(200), Duration.ofSeconds(5)).withFloor(Duration.ofMillis(100));

    @RepeatedTest(20)
    void waitsGrowWithTheAttemptUpToTheCapAndNeverDropToZero() {
        assertThat(floored.delay(1).toMillis()).isBetween(100L, 200L);
        assertThat(floored.delay(3).toMillis()).isBetween(100L, 800L);
        assertThat(floored.delay(41).toMillis()).isBetween(100L, 5_000L);
    }

    // --- new

    @Test
    void aFloorAboveTheBaseOrNegativeIsRefused() {
        Backoff backoff = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(1));

        assertThatThrownBy(() -> backoff.withFloor(Duration.ofMillis(101))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backoff.withFloor(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sleepWaitsAtMostTheCeilingAndStopsWhenInterrupted() throws Exception {
        Backoff backoff = Backoff.of(Duration.ofMillis(5), Duration.ofMillis(5));
        long began = System.nanoTime();
        backoff.sleep(1);
        assertThat(System.nanoTime() - began).isLessThan(5_000 * MS);

        Backoff long_ = Backoff.of(Duration.ofMinutes(10), Duration.ofMinutes(10)).withFloor(Duration.ofMinutes(10));
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> long_.sleep(1)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
    }

    @Property
    void everyDelayLiesBetweenTheFloorAndTheGrowingCeiling(@ForAll @LongRange(min = 1, max = 10_000) long minMillis,
                                                           @ForAll @LongRange(min = 0, max = 1_000_000) long extraMillis,
                                                           @ForAll @LongRange(min = 0, max = 100) long floorPercent,
                                                           @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int retry) {
        Duration min = Duration.ofMillis(minMillis);
        Duration max = min.plusMillis(extraMillis);
        Duration floor = Duration.ofNanos(min.toNanos() * floorPercent / 100);
        Backoff backoff = Backoff.of(min, max).withFloor(floor);

        long ceiling = backoff.ceilingNanos(retry);
        assertThat(ceiling).isBetween(min.toNanos(), max.toNanos());
        if (retry > 1) {
            // Growth: never below the previous ceiling, never more than double it.
            long previous = backoff.ceilingNanos(retry - 1);
            assertThat(ceiling).isBetween(previous, Math.max(previous, Math.min(max.toNanos(), 2 * previous)));
        }
        assertThat(backoff.delayNanos(retry)).isBetween(floor.toNanos(), ceiling);
    }

    @Property
    void theDrawCoversTheWholeCeilingAndNoMore(@ForAll @IntRange(min = 1, max = 200) int retry) {
        List<Long> bounds = new ArrayList<>();
        Backoff top = Backoff.of(Duration.ofMillis(3), Duration.ofSeconds(7), bound -> {
            bounds.add(bound);
            return bound;
        });

        assertThat(top.delayNanos(retry)).isEqualTo(top.ceilingNanos(retry));
        assertThat(bounds).singleElement().isEqualTo(top.ceilingNanos(retry));
        assertThat(Backoff.of(Duration.ofMillis(3), Duration.ofSeconds(7), bound -> 0).delayNanos(retry)).isZero();
    }
}
