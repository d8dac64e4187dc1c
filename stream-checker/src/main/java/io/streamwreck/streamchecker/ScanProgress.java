package io.streamwreck.streamchecker;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the scan has done so far — records scanned, shards done — and, when someone watches, a progress line on
 * stderr with the rate. The total is unknown until the last shard is done, so the bar shows counts, not an ETA.
 */
final class ScanProgress implements AutoCloseable {

    private final AtomicLong scanned = new AtomicLong();
    private final AtomicInteger shardsDone = new AtomicInteger();
    private volatile int shards = -1;
    private final ProgressBar bar;
    private final ScheduledExecutorService ticker;

    private ScanProgress(ProgressBar bar) {
        this.bar = bar;
        if (bar == null) {
            ticker = null;
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::update, 250, 250, TimeUnit.MILLISECONDS);
    }

    /** Counts only. */
    static ScanProgress quiet() {
        return new ScanProgress(null);
    }

    /** Counts, shown on {@code stderr}. */
    static ScanProgress shownOn(PrintStream stderr) {
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName("scanning")
                .setInitialMax(-1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setUnit(" rec", 1)
                .showSpeed()
                .hideEta()
                // Not on a terminal (with --progress) the width is unknown: 100 columns leave room for the line.
                .setConsumer(new ConsoleProgressBarConsumer(stderr, 100))
                .build();
        return new ScanProgress(bar);
    }

    AtomicLong scanned() {
        return scanned;
    }

    void shards(int count) {
        shards = count;
    }

    void shardDone() {
        shardsDone.incrementAndGet();
    }

    private synchronized void update() {
        bar.stepTo(scanned.get());
        bar.setExtraMessage(shards < 0 ? " listing shards" : " shards " + shardsDone.get() + "/" + shards);
    }

    @Override
    public void close() {
        if (bar != null) {
            ticker.shutdownNow();
            update();
            bar.close();
        }
    }
}
