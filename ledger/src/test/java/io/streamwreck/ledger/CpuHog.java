package io.streamwreck.ledger;

import java.io.IOException;

/** A child process that keeps one core busy, so tests see the scheduling delays of a loaded machine. */
final class CpuHog implements AutoCloseable {

    private final Process process;

    private CpuHog(Process process) {
        this.process = process;
    }

    static CpuHog start() {
        try {
            return new CpuHog(new ProcessBuilder("sh", "-c", "while :; do :; done")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a CPU hog", e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
