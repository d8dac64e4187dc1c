package io.streamwreck.local.standin;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Waits until a freshly started server answers a real request, failing fast when its process dies. */
final class Readiness {

    private static final long POLL_MILLIS = 50;

    private Readiness() {
    }

    /**
     * Polls {@code probe} until it returns true.
     *
     * @throws LocalStackException with the end of the server's log when the process exits or the time is up
     */
    static void await(TetheredProcess process, Duration timeout, Callable<Boolean> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            if (!process.isAlive()) {
                throw new LocalStackException(process.name() + " exited while starting; the end of "
                        + process.logFile() + ":" + System.lineSeparator() + process.logTail(20));
            }
            try {
                if (Boolean.TRUE.equals(probe.call())) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new LocalStackException(process.name() + " did not answer within " + timeout.toSeconds()
                        + " s (last error: " + (last == null ? "none" : last.getMessage()) + "); the end of "
                        + process.logFile() + ":" + System.lineSeparator() + process.logTail(20), last);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted while waiting for " + process.name(), e);
            }
        }
    }
}
