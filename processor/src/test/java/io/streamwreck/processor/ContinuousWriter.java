package io.streamwreck.processor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** Writes {@code perCall} records every {@code pauseMillis} to a test stream until closed: load while faults happen. */
final class ContinuousWriter implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final Thread thread;

    ContinuousWriter(TestStream stream, int perCall, long pauseMillis) {
        thread = new Thread(() -> {
            while (running.get()) {
                try {
                    stream.write(perCall);
                    Thread.sleep(pauseMillis); // pacing of the load, not test synchronisation
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    failure.set(e);
                    return;
                }
            }
        }, "continuous-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
