package io.streamwreck.producer.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/** A progress bar of finished records on stderr, or nothing. Thread-safe: futures complete on many threads. */
interface ProgressDisplay extends AutoCloseable {

    void finished(long written, long failed, long retried);

    @Override
    void close();

    static ProgressDisplay create(boolean show, long total, PrintStream stderr) {
        if (!show) {
            return new ProgressDisplay() {
                @Override
                public void finished(long written, long failed, long retried) {
                }

                @Override
                public void close() {
                }
            };
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName("writing")
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setUnit(" rec", 1)
                .showSpeed()
                .hideEta()
                // Not on a terminal (with --progress) the width is unknown: 100 columns leave room for the bar.
                .setConsumer(new ConsoleProgressBarConsumer(stderr, 100))
                .build();
        return new ProgressDisplay() {
            @Override
            public synchronized void finished(long written, long failed, long retried) {
                bar.stepTo(written + failed);
                bar.setExtraMessage(" retried " + retried + " failed " + failed);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
