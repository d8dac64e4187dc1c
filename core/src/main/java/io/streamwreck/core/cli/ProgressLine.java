package io.streamwreck.core.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The progress line of the streamwreck jars on stderr (producer.jar's records written, stream-checker.jar's
 * records scanned): ASCII, refreshed every 250 ms, counted in records with their rate, no ETA; or nothing, when
 * nobody watches. Thread-safe.
 */
public final class ProgressLine implements AutoCloseable {

    private static final ProgressLine HIDDEN = new ProgressLine(null);

    private final ProgressBar bar;

    private ProgressLine(ProgressBar bar) {
        this.bar = bar;
    }

    /** A progress line that shows nothing. */
    public static ProgressLine hidden() {
        return HIDDEN;
    }

    /**
     * A progress line on {@code stderr}.
     *
     * @param task  what is counted, e.g. {@code writing}
     * @param total how many records there will be, or -1 when unknown (the line then shows counts only)
     */
    public static ProgressLine shownOn(PrintStream stderr, String task, long total) {
        return new ProgressLine(new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setUnit(" rec", 1)
                .showSpeed()
                .hideEta()
                // Not on a terminal (with --progress) the width is unknown: 100 columns leave room for the line.
                .setConsumer(new ConsoleProgressBarConsumer(stderr, 100))
                .build());
    }

    /** {@link #shownOn} when {@code show}, else {@link #hidden}. */
    public static ProgressLine create(boolean show, PrintStream stderr, String task, long total) {
        return show ? shownOn(stderr, task, total) : hidden();
    }

    /** Whether this line shows anything. */
    public boolean shown() {
        return bar != null;
    }

    /** Moves the line to {@code done} records, followed by {@code extra} (e.g. {@code " failed 3"}). */
    public synchronized void update(long done, String extra) {
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(extra);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    /** Whether standard error is a terminal, so that progress is shown only where someone watches it. */
    public static boolean stderrIsTerminal() {
        // Java 17 has no per-stream check; on Linux the file descriptor's link names the device.
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            // Not Linux: System.console() is null when stdin or stdout is redirected, a fair approximation.
            return System.console() != null;
        }
    }
}
