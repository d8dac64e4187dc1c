package io.streamwreck.processor.decorator;

import io.streamwreck.publish.NoticeFactory;
import io.streamwreck.publish.NoticePublisher;
import io.streamwreck.publish.SnsNoticePublisher;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

import java.time.Duration;

/**
 * The decorator for an existing KCL 2.x application: one call around its {@link ShardRecordProcessorFactory},
 * <pre>
 * ShardRecordProcessorFactory factory = GatedProcessorFactory.wrap(new MyProcessorFactory(), sns, topicArn, stream, app, workerId);
 * </pre>
 * and its processors get every batch unchanged, notices of what they processed go to SNS, and their own checkpoints
 * take effect only once the notices of everything up to them are published (see {@link GatedShardProcessor},
 * {@link GatedCheckpointer}, {@link RecordOutcomes}). Close it after the Scheduler has shut down: it drains the
 * notices still queued.
 *
 * <p>Records are reported as the application receives them: KPL aggregates KCL drops (a user record hashing outside
 * its shard) are never seen, and the ledger reports them skipped. One stream per factory (multi-stream applications
 * wrap one factory per stream). A checkpoint asked for inside {@code processRecords} is written at the shard's next
 * call; with {@code callProcessRecordsEvenForEmptyRecordList(true)} that is never later than the poll interval.
 */
public final class GatedProcessorFactory implements ShardRecordProcessorFactory, AutoCloseable {

    /** How long a notice waits for others to share an SNS call: processor.jar's {@code --publish-linger} default. */
    public static final Duration DEFAULT_LINGER = Duration.ofMillis(500);
    /** Batches per shard that may wait for SNS: processor.jar's {@code --max-pending-batches} default. */
    public static final int DEFAULT_MAX_PENDING_BATCHES = 4;

    private final ShardRecordProcessorFactory application;
    private final NoticeFactory notices;
    private final NoticePublisher publisher;
    private final int maxPendingBatches;

    /**
     * Wraps {@code application}, publishing notices to {@code topicArn} in SNS PublishBatch calls.
     *
     * @param stream   the stream the application reads (named in every notice)
     * @param app      the application name (KCL's, the lease table's)
     * @param workerId the worker's id, as given to KCL's ConfigsBuilder
     */
    public static GatedProcessorFactory wrap(ShardRecordProcessorFactory application, SnsAsyncClient sns, String topicArn,
                                             String stream, String app, String workerId) {
        return new GatedProcessorFactory(application, new NoticeFactory(stream, app, workerId),
                new SnsNoticePublisher(sns, topicArn, DEFAULT_LINGER, Duration.ofSeconds(5)), DEFAULT_MAX_PENDING_BATCHES);
    }

    /** With a publisher of the caller's: closing this factory closes it. */
    public GatedProcessorFactory(ShardRecordProcessorFactory application, NoticeFactory notices, NoticePublisher publisher,
                                 int maxPendingBatches) {
        if (maxPendingBatches < 1) {
            throw new IllegalArgumentException("maxPendingBatches must be at least 1, not " + maxPendingBatches);
        }
        this.application = application;
        this.notices = notices;
        this.publisher = publisher;
        this.maxPendingBatches = maxPendingBatches;
    }

    @Override
    public ShardRecordProcessor shardRecordProcessor() {
        return new GatedShardProcessor(application.shardRecordProcessor(), notices, publisher, maxPendingBatches);
    }

    @Override
    public ShardRecordProcessor shardRecordProcessor(StreamIdentifier streamIdentifier) {
        return new GatedShardProcessor(application.shardRecordProcessor(streamIdentifier), notices, publisher, maxPendingBatches);
    }

    /** The publisher: its stats say what was sent. */
    public NoticePublisher publisher() {
        return publisher;
    }

    @Override
    public void close() {
        publisher.close();
    }
}
