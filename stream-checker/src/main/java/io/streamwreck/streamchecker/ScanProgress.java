package io.streamwreck.streamchecker;

import io.streamwreck.core.cli.ProgressLine;

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
    private final ProgressLine line;
    private final ScheduledExecutorService ticker;

    private ScanProgress(ProgressLine line) {
        this.line = line;
        if (!line.shown()) {
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
        return new ScanProgress(ProgressLine.hidden());
    }

    /** Counts, shown on {@code stderr}. */
    static ScanProgress shownOn(PrintStream stderr) {
        return new ScanProgress(ProgressLine.shownOn(stderr, "scanning", -1));
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
        line.update(scanned.get(), shards < 0 ? " listing shards" : " shards " + shardsDone.get() + "/" + shards);
    }

    @Override
    public void close() {
        if (line.shown()) {
            ticker.shutdownNow();
            update();
            line.close();
        }
    }
}
