package io.streamwreck.streamchecker;

import io.streamwreck.ledger.ConsumerCheckpoints;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One scan of a stream: list every shard (open and closed), read them in parallel, ask the checker about each
 * record while reading, and sum it up in a {@link ScanReport}. The first failure anywhere stops every reader
 * and is thrown.
 */
final class StreamScan {

    private final LeaseCheckpoints leaseTable;
    private final KinesisCalls kinesis;
    private final KeyClassifier classifier;
    private final ScanSettings settings;
    private final ScanProgress progress;
    private final ShardPart part;
    private final BucketSize bucket;

    StreamScan(KinesisCalls kinesis, KeyClassifier classifier, ScanSettings settings, ScanProgress progress) {
        this(kinesis, classifier, LeaseCheckpoints.NONE, settings, progress, ShardPart.ALL, BucketSize.AUTO);
    }

    StreamScan(KinesisCalls kinesis, KeyClassifier classifier, LeaseCheckpoints leaseTable, ScanSettings settings, ScanProgress progress) {
        this(kinesis, classifier, leaseTable, settings, progress, ShardPart.ALL, BucketSize.AUTO);
    }

    /**
     * @param leaseTable the consumer's checkpoints, read once per scan (pending or undelivered)
     * @param part       which of the stream's shards to scan ({@code --shards i/N})
     * @param bucket     the width of the timeline's buckets ({@code --bucket})
     */
    StreamScan(KinesisCalls kinesis, KeyClassifier classifier, LeaseCheckpoints leaseTable, ScanSettings settings,
               ScanProgress progress, ShardPart part, BucketSize bucket) {
        this.leaseTable = leaseTable;
        this.kinesis = kinesis;
        this.classifier = classifier;
        this.settings = settings;
        this.progress = progress;
        this.part = part;
        this.bucket = bucket;
    }

    /**
     * @throws ScanFailedException saying what failed (no such stream, Kinesis or the checker unreachable, …)
     */
    ScanReport run() throws InterruptedException {
        classifier.checkReachable();
        // The tip is "now": every record that arrived before this moment is part of the scan.
        Instant scanStart = Instant.now();
        long began = System.nanoTime();
        ScanWindow window = new ScanWindow(scanStart, settings.settle());
        List<Shard> shards = kinesis.listShards(settings.stream()).stream().filter(s -> part.contains(s.shardId())).toList();
        // Once per scan, and before the ledger is asked anything (see ConsumerCheckpoints).
        ConsumerCheckpoints checkpoints = leaseTable.read();
        progress.shards(shards.size());
        List<ShardTally> tallies = new ArrayList<>();
        for (Shard shard : shards) {
            ShardTally tally = new ShardTally(shard.shardId(), shard.sequenceNumberRange().endingSequenceNumber() != null);
            tally.progress(checkpoints.shard(tally.shardId(), tally.closed()));
            tallies.add(tally);
        }
        tallies.sort(Comparator.comparing(ShardTally::shardId));

        TimelineTally timeline = new TimelineTally(bucket);
        try (CheckPipeline pipeline = new CheckPipeline(classifier, timeline, settings.batchSize(), ScanSettings.CHECK_THREADS,
                ScanSettings.BATCHES_IN_FLIGHT)) {
            readAll(tallies, window, pipeline, timeline);
            pipeline.finish();
            List<ShardSummary> summaries = new ArrayList<>();
            for (ShardTally t : tallies) {
                summaries.add(new ShardSummary(t.shardId(), t.closed(), t.counts(), t.lag()));
            }
            return new ScanReport(settings.stream(), classifier.application().orElse(settings.application()),
                    settings.from(), settings.settle(), scanStart, (System.nanoTime() - began) / 1e9, summaries,
                    pipeline.drifted(), timeline.timeline(), part.all() ? null : part.toString(), checkpoints.evidence());
        }
    }

    private void readAll(List<ShardTally> tallies, ScanWindow window, CheckPipeline pipeline, TimelineTally timeline)
            throws InterruptedException {
        if (tallies.isEmpty()) {
            return;
        }
        int threads = Math.min(settings.parallelShards(), tallies.size());
        AtomicInteger n = new AtomicInteger();
        ExecutorService readers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "shard-reader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ExecutorCompletionService<String> done = new ExecutorCompletionService<>(readers);
        try {
            for (ShardTally tally : tallies) {
                done.submit(() -> {
                    new ShardReader(kinesis, settings.stream(), tally, settings.from(), window, pipeline.batcher(tally),
                            timeline, progress.scanned()).read();
                    progress.shardDone();
                    return tally.shardId();
                });
            }
            for (int i = 0; i < tallies.size(); i++) {
                Future<String> finished = done.take();
                try {
                    finished.get();
                } catch (ExecutionException e) {
                    throw failure(e.getCause());
                }
            }
        } finally {
            // On failure: interrupt the other readers (their calls and sleeps end) before the error is reported.
            readers.shutdownNow();
            readers.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static RuntimeException failure(Throwable cause) {
        if (cause instanceof ScanFailedException e) {
            return e;
        }
        if (cause instanceof SdkException e) {
            return new ScanFailedException("reading the stream failed: " + ScanFailedException.rootMessage(e), e);
        }
        if (cause instanceof RuntimeException e) {
            return e;
        }
        return new ScanFailedException("reading the stream failed: " + ScanFailedException.rootMessage(cause), cause);
    }
}
