package io.streamwreck.producer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketGivesItsCapacityThenRefillsAtItsRate() {
        TokenBucket bucket = new TokenBucket(10, 3, 0);

        assertThat(bucket.tryTake(1, 0)).isTrue();
        assertThat(bucket.tryTake(1, 0)).isTrue();
        assertThat(bucket.tryTake(1, 0)).isTrue();
        assertThat(bucket.tryTake(1, 0)).isFalse();
        assertThat(bucket.nanosUntil(1, 0)).isEqualTo(SECOND / 10);
        assertThat(bucket.tryTake(1, SECOND / 10)).isTrue();
    }

    @Test
    void aCostAboveTheCapacityPassesWhenTheBucketIsFullAndLeavesADebt() {
        TokenBucket bucket = new TokenBucket(100, 10, 0);

        assertThat(bucket.tryTake(50, 0)).as("would never fit otherwise").isTrue();
        // 40 tokens of debt + 1 needed = 41 tokens at 100/s.
        assertThat(bucket.nanosUntil(1, 0)).isEqualTo(410_000_000L);
        assertThat(bucket.tryTake(1, 400_000_000L)).isFalse();
        assertThat(bucket.tryTake(1, 410_000_000L)).isTrue();
    }

    @Test
    void aRefundRestoresWhatWasTakenUpToTheCapacity() {
        TokenBucket bucket = new TokenBucket(1, 2, 0);
        bucket.tryTake(2, 0);
        assertThat(bucket.tryTake(1, 0)).isFalse();

        bucket.refund(2, 0);
        bucket.refund(5, 0);

        assertThat(bucket.tryTake(2, 0)).isTrue();
        assertThat(bucket.tryTake(1, 0)).isFalse();
    }

    @Test
    void tokensNeverExceedTheCapacityAfterALongIdle() {
        TokenBucket bucket = new TokenBucket(1000, 5, 0);

        int taken = 0;
        while (bucket.tryTake(1, 3600 * SECOND)) {
            taken++;
        }

        assertThat(taken).isEqualTo(5);
    }
}
