package io.streamwreck.producer.cli;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Spaces records evenly at a target rate: record {@code i} (from 0) is due {@code i / rate} seconds after the
 * first. A caller that fell behind (the writer made it wait) is not made to wait again until it is back on
 * schedule, so the average rate holds. A rate of 0 means no pacing.
 */
final class Pacer {

    private final double nanosPerRecord;
    private long start = -1;

    Pacer(double perSecond) {
        if (perSecond < 0 || Double.isNaN(perSecond) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be 0 (unlimited) or positive, was " + perSecond);
        }
        this.nanosPerRecord = perSecond == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / perSecond;
    }

    /** Returns when record {@code index} (0-based) is due. */
    void awaitTurn(long index) throws InterruptedException {
        long now = System.nanoTime();
        if (start < 0) {
            start = now;
        }
        if (nanosPerRecord == 0) {
            return;
        }
        long due = start + (long) (index * nanosPerRecord);
        while ((now = System.nanoTime()) < due) {
            LockSupport.parkNanos(due - now);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
