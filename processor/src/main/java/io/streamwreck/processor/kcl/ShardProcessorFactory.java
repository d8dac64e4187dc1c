package io.streamwreck.processor.kcl;

import io.streamwreck.processor.AuditLog;
import io.streamwreck.processor.handler.RecordHandler;
import io.streamwreck.publish.NoticeFactory;
import io.streamwreck.publish.NoticePublisher;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/** Gives KCL one {@link ShardProcessor} per shard lease, all sharing the worker's handler, publisher and audit log. */
public final class ShardProcessorFactory implements ShardRecordProcessorFactory {

    private final RecordHandler handler;
    private final NoticeFactory notices;
    private final NoticePublisher publisher;
    private final AuditLog audit;
    private final ProcessorCounters counters;
    private final int maxPendingBatches;
    private final Duration checkpointInterval;
    private final KplDeaggregation kplDeaggregation;
    private final Duration reportTimeout;
    private final Consumer<String> giveUp;

    /** KCL's rule for KPL aggregates, a 30 s report timeout, and no reaction to a shard giving up but its log line. */
    public ShardProcessorFactory(RecordHandler handler, NoticeFactory notices, NoticePublisher publisher, AuditLog audit,
                                 ProcessorCounters counters, int maxPendingBatches, Duration checkpointInterval) {
        this(handler, notices, publisher, audit, counters, maxPendingBatches, checkpointInterval, KplDeaggregation.STRICT,
                Duration.ofSeconds(30), shardId -> { });
    }

    /**
     * KPL aggregates are accounted for only with {@link ShardHashRangeHandOff} as KCL's
     * {@code LifecycleConfig.aggregatorUtil}: without it KCL drops what it drops unseen.
     *
     * @param giveUp called with the shard id when a shard gives up on a batch it could not report
     */
    public ShardProcessorFactory(RecordHandler handler, NoticeFactory notices, NoticePublisher publisher, AuditLog audit,
                                 ProcessorCounters counters, int maxPendingBatches, Duration checkpointInterval,
                                 KplDeaggregation kplDeaggregation, Duration reportTimeout, Consumer<String> giveUp) {
        this.handler = handler;
        this.notices = notices;
        this.publisher = publisher;
        this.audit = audit;
        this.counters = counters;
        this.maxPendingBatches = maxPendingBatches;
        this.checkpointInterval = checkpointInterval;
        this.kplDeaggregation = kplDeaggregation;
        this.reportTimeout = reportTimeout;
        this.giveUp = giveUp;
    }

    @Override
    public ShardRecordProcessor shardRecordProcessor() {
        return new ShardProcessor(handler, notices, publisher, audit, counters, maxPendingBatches, checkpointInterval, Clock.systemUTC(),
                kplDeaggregation, reportTimeout, giveUp);
    }
}
