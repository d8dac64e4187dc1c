package io.streamwreck.producer;

/**
 * A token bucket that may go into debt: a take is allowed whenever the bucket holds at least
 * {@code min(cost, capacity)} tokens, then the full cost is subtracted. The debt rule lets a cost larger than
 * the burst (a 1 MiB record against a small byte burst) pass instead of waiting forever, and later takes pay
 * for it. Over any window of {@code t} seconds at most {@code capacity + rate × t} tokens are taken, plus one
 * take's overshoot.
 *
 * <p>Not thread-safe: the writer's dispatcher thread is its only user. Time is passed in (nanoTime) so
 * tests control it.
 */
final class TokenBucket {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long updatedAt;

    /**
     * @param perSecond tokens added per second
     * @param capacity  most tokens held; the bucket starts full
     * @param now       the current {@link System#nanoTime()}
     */
    TokenBucket(double perSecond, double capacity, long now) {
        if (!(perSecond > 0) || !(capacity > 0)) {
            throw new IllegalArgumentException("rate and capacity must be positive, were " + perSecond + " and " + capacity);
        }
        this.perNano = perSecond / 1e9;
        this.capacity = capacity;
        this.tokens = capacity;
        this.updatedAt = now;
    }

    /** Takes {@code cost} tokens if allowed now. */
    boolean tryTake(double cost, long now) {
        refill(now);
        if (tokens >= Math.min(cost, capacity)) {
            tokens -= cost;
            return true;
        }
        return false;
    }

    /** Gives back tokens taken by a {@link #tryTake} whose record was not sent after all. */
    void refund(double cost, long now) {
        refill(now);
        tokens = Math.min(capacity, tokens + cost);
    }

    /** Nanoseconds until {@link #tryTake} of {@code cost} would succeed; 0 if it would now. */
    long nanosUntil(double cost, long now) {
        refill(now);
        double missing = Math.min(cost, capacity) - tokens;
        return missing <= 0 ? 0 : (long) Math.ceil(missing / perNano);
    }

    private void refill(long now) {
        if (now > updatedAt) {
            tokens = Math.min(capacity, tokens + (now - updatedAt) * perNano);
            updatedAt = now;
        }
    }
}
