package io.streamwreck.producer;

import java.util.HashMap;
import java.util.Map;

/**
 * Keeps each shard under a records-per-second and a bytes-per-second rate, so that the writer does not
 * provoke the throttling it would then have to retry.
 *
 * <p>Contract: no shard is sent more than {@code recordsPerSecond} records (or {@code bytesPerSecond} bytes)
 * in any one-second window, once the rate is 10 or more. To hold that for every window, not just on average,
 * each shard has a token bucket holding a tenth of a second's worth (the burst) that refills at nine tenths
 * of the rate: burst + refill over one second = the rate. So a shard that is always busy gets 90 % of the
 * rate over the long run. One record larger than the byte burst may still pass, and is paid for afterwards.
 *
 * <p>Not thread-safe: used by the writer's dispatcher thread only.
 */
final class ShardThrottle {

    static final double BURST_SHARE = 0.1;

    private final double recordsPerSecond;
    private final double bytesPerSecond;
    private final Map<String, TokenBucket[]> buckets = new HashMap<>();

    ShardThrottle(double recordsPerSecond, double bytesPerSecond) {
        if (!(recordsPerSecond > 0) || !(bytesPerSecond > 0)) {
            throw new IllegalArgumentException("per-shard rates must be positive, were " + recordsPerSecond
                    + " records/s and " + bytesPerSecond + " bytes/s");
        }
        this.recordsPerSecond = recordsPerSecond;
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Takes one record of {@code bytes} from the shard's allowance if both its buckets allow it now. */
    boolean tryAcquire(String shardId, int bytes, long now) {
        TokenBucket[] pair = bucketsOf(shardId, now);
        if (pair[0].nanosUntil(1, now) > 0 || pair[1].nanosUntil(bytes, now) > 0) {
            return false;
        }
        pair[0].tryTake(1, now);
        pair[1].tryTake(bytes, now);
        return true;
    }

    /** Gives back what {@link #tryAcquire} took for a record that was not sent after all. */
    void refund(String shardId, int bytes, long now) {
        TokenBucket[] pair = bucketsOf(shardId, now);
        pair[0].refund(1, now);
        pair[1].refund(bytes, now);
    }

    /** Nanoseconds until a record of {@code bytes} may go to the shard; 0 if it may now. */
    long nanosUntil(String shardId, int bytes, long now) {
        TokenBucket[] pair = bucketsOf(shardId, now);
        return Math.max(pair[0].nanosUntil(1, now), pair[1].nanosUntil(bytes, now));
    }

    private TokenBucket[] bucketsOf(String shardId, long now) {
        return buckets.computeIfAbsent(shardId, id -> new TokenBucket[] {bucket(recordsPerSecond, now), bucket(bytesPerSecond, now)});
    }

    private static TokenBucket bucket(double rate, long now) {
        // A burst below one token would never let a single take through on its own merits.
        return new TokenBucket(rate * (1 - BURST_SHARE), Math.max(1, rate * BURST_SHARE), now);
    }
}
