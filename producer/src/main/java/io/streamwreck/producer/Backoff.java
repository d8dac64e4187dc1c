package io.streamwreck.producer;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: before retry {@code n} (n = 1 after the first failed attempt) wait a
 * uniformly random time in {@code [0, min(cap, base × 2^(n-1))]}. Full jitter spreads the retries of many
 * entries that failed together (a throttled shard) instead of sending them back in one burst.
 */
final class Backoff {

    private final long baseNanos;
    private final long capNanos;
    /** Given a bound, returns a uniformly random value in [0, bound]; replaceable in tests. */
    private final LongUnaryOperator random;

    Backoff(Duration base, Duration cap) {
        this(base, cap, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    Backoff(Duration base, Duration cap, LongUnaryOperator random) {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff base must be positive and no larger than the cap, was base="
                    + base + " cap=" + cap);
        }
        this.baseNanos = base.toNanos();
        this.capNanos = cap.toNanos();
        this.random = random;
    }

    /** The upper bound of the wait before retry {@code retry} (1-based). */
    long ceilingNanos(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry numbers start at 1, was " + retry);
        }
        // Shifting past 62 bits would overflow; by then the cap has long been reached.
        int doublings = Math.min(retry - 1, 62);
        long ceiling = baseNanos << doublings;
        return ceiling <= 0 || (ceiling >> doublings) != baseNanos ? capNanos : Math.min(capNanos, ceiling);
    }

    /** A random wait before retry {@code retry} (1-based), in nanoseconds. */
    long delayNanos(int retry) {
        return random.applyAsLong(ceilingNanos(retry));
    }
}
