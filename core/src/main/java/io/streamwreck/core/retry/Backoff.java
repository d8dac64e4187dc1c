package io.streamwreck.core.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter, the one convention of every streamwreck retry loop: before retry
 * {@code n} (n = 1 after the first failed attempt) wait a uniformly random time in
 * {@code [floor, min(max, min × 2^(n-1))]}. Full jitter spreads the retries of many callers that failed together
 * (a throttled shard, an unreachable service) instead of sending them back in one burst.
 *
 * <p>The floor is 0 unless {@link #withFloor} sets one: a caller that must never retry at once into the same
 * throttle (the stream-checker's readers) asks for one. Retry numbers past 62 doublings stay at {@code max}
 * without overflow. Thread-safe and immutable.
 */
public final class Backoff {

    private final long minNanos;
    private final long maxNanos;
    private final long floorNanos;
    /** Given a bound, returns a uniformly random value in [0, bound]; replaceable in tests. */
    private final LongUnaryOperator random;

    private Backoff(long minNanos, long maxNanos, long floorNanos, LongUnaryOperator random) {
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
        this.floorNanos = floorNanos;
        this.random = random;
    }

    /**
     * @param min the ceiling of the first retry's wait; it doubles per retry
     * @param max the largest ceiling
     * @throws IllegalArgumentException unless {@code 0 < min <= max}
     */
    public static Backoff of(Duration min, Duration max) {
        return of(min, max, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /** As {@link #of(Duration, Duration)}, drawing with {@code random} (bound → a value in [0, bound]); for tests. */
    public static Backoff of(Duration min, Duration max, LongUnaryOperator random) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff base must be positive and no larger than the cap, was base="
                    + min + " cap=" + max);
        }
        return new Backoff(min.toNanos(), max.toNanos(), 0, random);
    }

    /**
     * The same backoff, but no wait is shorter than {@code floor} (it must not exceed {@code min}): a zero wait
     * would retry into the same throttle at once.
     */
    public Backoff withFloor(Duration floor) {
        if (floor.isNegative() || floor.toNanos() > minNanos) {
            throw new IllegalArgumentException("backoff floor must be 0 to the base " + Duration.ofNanos(minNanos)
                    + ", was " + floor);
        }
        return new Backoff(minNanos, maxNanos, floor.toNanos(), random);
    }

    /** The upper bound of the wait before retry {@code retry} (1-based), in nanoseconds. */
    public long ceilingNanos(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry numbers start at 1, was " + retry);
        }
        // Shifting past 62 bits would overflow; by then the cap has long been reached.
        int doublings = Math.min(retry - 1, 62);
        long ceiling = minNanos << doublings;
        return ceiling <= 0 || (ceiling >> doublings) != minNanos ? maxNanos : Math.min(maxNanos, ceiling);
    }

    /** A random wait before retry {@code retry} (1-based), in nanoseconds: in [floor, ceiling]. */
    public long delayNanos(int retry) {
        return Math.max(floorNanos, random.applyAsLong(ceilingNanos(retry)));
    }

    /** {@link #delayNanos} as a {@link Duration}. */
    public Duration delay(int retry) {
        return Duration.ofNanos(delayNanos(retry));
    }

    /**
     * Sleeps the wait before retry {@code retry} (1-based).
     *
     * @throws InterruptedException when the thread is interrupted meanwhile (its interrupt status is cleared, as
     *                              {@link Thread#sleep} does): the caller stops retrying
     */
    public void sleep(int retry) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(delayNanos(retry));
    }
}
