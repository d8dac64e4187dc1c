package io.streamwreck.producer;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayDeque;

import static org.assertj.core.api.Assertions.assertThat;

class ShardThrottleProperties {

    /**
     * A sender that tries every millisecond for three simulated seconds never gets more than the rate through in
     * any one-second window, and still gets at least 85 % of it over the whole time.
     */
    @Property(tries = 200)
    void noOneSecondWindowCarriesMoreThanTheRate(@ForAll @IntRange(min = 10, max = 5000) int rate,
                                                 @ForAll @IntRange(min = 1, max = 20) int perTry) {
        ShardThrottle throttle = new ShardThrottle(rate, Double.MAX_VALUE / 4);
        ArrayDeque<Long> sent = new ArrayDeque<>();
        int maxInWindow = 0;
        long total = 0;
        for (long ms = 0; ms < 3000; ms++) {
            long now = ms * 1_000_000;
            for (int i = 0; i < perTry && throttle.tryAcquire("shardId-000000000000", 100, now); i++) {
                sent.addLast(ms);
                total++;
            }
            while (!sent.isEmpty() && sent.peekFirst() <= ms - 1000) {
                sent.removeFirst();
            }
            maxInWindow = Math.max(maxInWindow, sent.size());
        }
        assertThat(maxInWindow).isLessThanOrEqualTo(rate);
        if (perTry * 1000 >= rate) {
            assertThat(total).isGreaterThanOrEqualTo((long) (rate * 3 * 0.85));
        }
    }

    @Property(tries = 100)
    void theByteRateHoldsForRecordsOfAnySize(@ForAll @IntRange(min = 1, max = 200_000) int recordBytes) {
        int bytesPerSecond = 1024 * 1024;
        ShardThrottle throttle = new ShardThrottle(1_000_000, bytesPerSecond);
        ArrayDeque<long[]> sent = new ArrayDeque<>();
        long inWindow = 0;
        long maxInWindow = 0;
        for (long ms = 0; ms < 3000; ms++) {
            long now = ms * 1_000_000;
            while (throttle.tryAcquire("s", recordBytes, now)) {
                sent.addLast(new long[] {ms, recordBytes});
                inWindow += recordBytes;
            }
            while (!sent.isEmpty() && sent.peekFirst()[0] <= ms - 1000) {
                inWindow -= sent.removeFirst()[1];
            }
            maxInWindow = Math.max(maxInWindow, inWindow);
        }
        // A record may overshoot the burst once, so allow one record beyond the rate.
        assertThat(maxInWindow).isLessThanOrEqualTo(bytesPerSecond + recordBytes);
    }

    @Property(tries = 50)
    void shardsHaveSeparateAllowances(@ForAll @IntRange(min = 10, max = 1000) int rate) {
        ShardThrottle throttle = new ShardThrottle(rate, 1e12);
        int a = 0;
        while (throttle.tryAcquire("a", 1, 0)) {
            a++;
        }

        assertThat(throttle.tryAcquire("b", 1, 0)).isTrue();
        assertThat(a).isEqualTo((int) Math.max(1, rate * ShardThrottle.BURST_SHARE));
        assertThat(throttle.nanosUntil("a", 1, 0)).isPositive();
    }
}
