package io.streamwreck.streamchecker;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CallPacerTest {

    @Test
    void keepsCallsOfOneShardToFivePerSecond() throws InterruptedException {
        CallPacer pacer = new CallPacer(CallPacer.CALLS_PER_SECOND);
        long began = System.nanoTime();
        for (int i = 0; i < 6; i++) {
            pacer.awaitTurn();
        }
        // The first call goes at once, each later one 200 ms after the one before.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began)).isGreaterThanOrEqualTo(1_000);
    }

    @Test
    void theFirstCallDoesNotWait() throws InterruptedException {
        long began = System.nanoTime();
        new CallPacer(CallPacer.CALLS_PER_SECOND).awaitTurn();

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began)).isLessThan(150);
    }
}
