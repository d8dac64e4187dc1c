package io.streamwreck.streamchecker;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: attempt n waits a random time up to {@code base * 2^n}, capped. Jitter
 * keeps the readers of many shards that were throttled together from retrying together.
 */
final class Backoff {

    private final long baseMillis;
    private final long capMillis;

    Backoff(Duration base, Duration cap) {
        this.baseMillis = Math.max(1, base.toMillis());
        this.capMillis = Math.max(baseMillis, cap.toMillis());
    }

    /** How long to wait before retry number {@code attempt} (0 for the first retry). */
    long delayMillis(int attempt) {
        long ceiling = Math.min(capMillis, baseMillis << Math.min(attempt, 20));
        // Never less than half the base: a zero wait would retry into the same throttle at once.
        return Math.max(baseMillis / 2, ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    void sleep(int attempt) throws InterruptedException {
        Thread.sleep(delayMillis(attempt));
    }
}
