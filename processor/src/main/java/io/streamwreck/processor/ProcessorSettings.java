package io.streamwreck.processor;

import io.streamwreck.processor.kcl.KplDeaggregation;
import software.amazon.kinesis.metrics.MetricsLevel;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything one worker needs, resolved from flags and environment (see {@code ProcessorMain --help}).
 *
 * @param failoverTime      how long a lease may go unrenewed before another worker takes it (KCL failoverTimeMillis)
 * @param pollInterval      polling only: the pause between GetRecords calls of a shard that is caught up
 * @param maxRecords        polling only: records per GetRecords call (Kinesis allows 10,000)
 * @param shardSyncInterval how often KCL looks for new shards (after a reshard)
 * @param publishLinger     how long a notice may wait for others to share its SNS call
 * @param maxPendingBatches batches per shard that may wait for SNS before the shard stops reading
 * @param checkpointInterval the least time between two checkpoints of a shard (0: after every published batch)
 * @param progressInterval  how often the worker logs what it has done so far
 * @param discardNotices    the benchmark's baseline: notices are built and then dropped (never in production)
 * @param kplDeaggregation  what happens to a KPL aggregate with user records hashing outside its shard
 * @param reportTimeout     how long a shard may hold a batch it cannot report (audit log or notice failure) before
 *                          the worker gives up and stops, so another worker takes its shards
 */
public record ProcessorSettings(
        String stream,
        String app,
        String topicArn,
        Optional<String> region,
        Optional<URI> kinesisEndpoint,
        Optional<URI> dynamoDbEndpoint,
        Optional<URI> snsEndpoint,
        Optional<URI> cloudWatchEndpoint,
        InitialPosition initialPosition,
        Duration failoverTime,
        Retrieval retrieval,
        Duration pollInterval,
        int maxRecords,
        Duration shardSyncInterval,
        MetricsLevel metrics,
        String workerId,
        Optional<Path> auditLog,
        Duration publishLinger,
        int maxPendingBatches,
        Duration checkpointInterval,
        Duration progressInterval,
        boolean discardNotices,
        KplDeaggregation kplDeaggregation,
        Duration reportTimeout) {

    /** The default report timeout: see {@code --report-timeout}. */
    public static final Duration DEFAULT_REPORT_TIMEOUT = Duration.ofSeconds(30);

    /** Without the KPL and report-timeout settings: KCL's rule for aggregates, the default report timeout. */
    public ProcessorSettings(String stream, String app, String topicArn, Optional<String> region, Optional<URI> kinesisEndpoint,
                             Optional<URI> dynamoDbEndpoint, Optional<URI> snsEndpoint, Optional<URI> cloudWatchEndpoint,
                             InitialPosition initialPosition, Duration failoverTime, Retrieval retrieval, Duration pollInterval,
                             int maxRecords, Duration shardSyncInterval, MetricsLevel metrics, String workerId,
                             Optional<Path> auditLog, Duration publishLinger, int maxPendingBatches, Duration checkpointInterval,
                             Duration progressInterval, boolean discardNotices) {
        this(stream, app, topicArn, region, kinesisEndpoint, dynamoDbEndpoint, snsEndpoint, cloudWatchEndpoint, initialPosition,
                failoverTime, retrieval, pollInterval, maxRecords, shardSyncInterval, metrics, workerId, auditLog, publishLinger,
                maxPendingBatches, checkpointInterval, progressInterval, discardNotices, KplDeaggregation.STRICT,
                DEFAULT_REPORT_TIMEOUT);
    }

    /** How KCL reads the stream: shared-throughput polling or enhanced fan-out (a dedicated HTTP/2 push per consumer). */
    public enum Retrieval {
        POLLING, FANOUT
    }
}
