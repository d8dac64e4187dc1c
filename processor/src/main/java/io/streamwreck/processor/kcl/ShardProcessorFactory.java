package io.streamwreck.processor.kcl;

import io.streamwreck.processor.AuditLog;
import io.streamwreck.processor.handler.RecordHandler;
import io.streamwreck.processor.publish.NoticeFactory;
import io.streamwreck.processor.publish.NoticePublisher;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

import java.time.Clock;
import java.time.Duration;

/** Gives KCL one {@link ShardProcessor} per shard lease, all sharing the worker's handler, publisher and audit log. */
public final class ShardProcessorFactory implements ShardRecordProcessorFactory {

    private final RecordHandler handler;
    private final NoticeFactory notices;
    private final NoticePublisher publisher;
    private final AuditLog audit;
    private final ProcessorCounters counters;
    private final int maxPendingBatches;
    private final Duration checkpointInterval;

    public ShardProcessorFactory(RecordHandler handler, NoticeFactory notices, NoticePublisher publisher, AuditLog audit,
                                 ProcessorCounters counters, int maxPendingBatches, Duration checkpointInterval) {
        this.handler = handler;
        this.notices = notices;
        this.publisher = publisher;
        this.audit = audit;
        this.counters = counters;
        this.maxPendingBatches = maxPendingBatches;
        this.checkpointInterval = checkpointInterval;
    }

    @Override
    public ShardRecordProcessor shardRecordProcessor() {
        return new ShardProcessor(handler, notices, publisher, audit, counters, maxPendingBatches, checkpointInterval, Clock.systemUTC());
    }
}
