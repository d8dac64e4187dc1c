package io.streamwreck.processor.decorator;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.DeliveredBatch;
import io.streamwreck.processor.AuditLog;
import io.streamwreck.processor.kcl.NoticeGate;
import io.streamwreck.processor.kcl.Position;
import io.streamwreck.publish.NoticeFactory;
import io.streamwreck.publish.NoticePublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An application's {@link ShardRecordProcessor} with the notice gate around it: each batch goes to the application
 * unchanged, but with a {@link GatedCheckpointer}; when {@code processRecords} returns, the batch's notice is queued
 * (processed = every record of it but those marked through {@link RecordOutcomes}; none when it threw, and the
 * exception is rethrown to KCL as if unwrapped); checkpoints the application asked for are written once published.
 *
 * <p>Lifecycle as KCL's contract: lease lost → the application is told (it can no longer checkpoint), queued notices
 * are still published (those records were processed: the next owner's second run is a duplicate the ledger must
 * see); shard end → the application's {@code checkpoint()} is SHARD_END, written after every notice of the shard;
 * shutdown → the application's checkpoint waits up to {@link #SHUTDOWN_WAIT} for its notices.
 */
final class GatedShardProcessor implements ShardRecordProcessor {

    private static final Logger log = LoggerFactory.getLogger(GatedShardProcessor.class);
    /** Within KCL's graceful-shutdown budget, as the processor's own ShardProcessor. */
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(15);
    /** How often a shard that waits for SNS says so. */
    private static final Duration WAIT_REPORT = Duration.ofSeconds(10);

    private final ShardRecordProcessor application;
    private final NoticeFactory notices;
    private final NoticePublisher publisher;
    private final int maxPendingBatches;
    private String shardId;
    private NoticeGate gate;
    /** The end of the last batch delivered: what a plain checkpoint() means. */
    private Position latest;

    GatedShardProcessor(ShardRecordProcessor application, NoticeFactory notices, NoticePublisher publisher, int maxPendingBatches) {
        this.application = application;
        this.notices = notices;
        this.publisher = publisher;
        this.maxPendingBatches = maxPendingBatches;
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        gate = new NoticeGate(shardId, notices, publisher, AuditLog.none(), Clock.systemUTC());
        application.initialize(input);
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        RecordProcessorCheckpointer kcl = input.checkpointer();
        // Checkpoints asked for in earlier batches whose notices have been published since.
        gate.checkpointIfPublished(kcl);
        List<KinesisClientRecord> records = input.records();
        if (!records.isEmpty()) {
            latest = Position.of(records.get(records.size() - 1));
        }
        GatedCheckpointer checkpointer = new GatedCheckpointer(gate, kcl, latest, GatedCheckpointer.Mode.DEFER, null, false);
        RecordOutcomes outcomes = RecordOutcomes.open(shardId);
        Throwable thrown = null;
        try {
            application.processRecords(input.toBuilder().checkpointer(checkpointer).build());
        } catch (RuntimeException | Error e) {
            thrown = e;
        } finally {
            outcomes.close();
        }
        if (!records.isEmpty()) {
            report(records, outcomes, thrown);
        } else if (gate.pendingBatches() > 0) {
            // Caught up: no more notices are coming to share a call, so lingering would only delay the checkpoint.
            gate.flush();
        }
        if (gate.requested().isPresent()) {
            gate.flush();
        }
        awaitRoom();
        gate.checkpointIfPublished(kcl);
        if (thrown instanceof RuntimeException e) {
            throw e;
        }
        if (thrown instanceof Error e) {
            throw e;
        }
    }

    private void report(List<KinesisClientRecord> records, RecordOutcomes outcomes, Throwable thrown) {
        Position end = Position.of(records.get(records.size() - 1));
        List<RecordKey> processed = new ArrayList<>(records.size());
        if (thrown == null) {
            for (KinesisClientRecord r : records) {
                RecordKey key = RecordOutcomes.key(shardId, r);
                if (!outcomes.notProcessed(key)) {
                    processed.add(key);
                }
            }
            if (outcomes.failedCount() > 0) {
                log.warn("{} records of a batch of {} ending at {} failed in the application; reported as not processed",
                        outcomes.failedCount(), records.size(), end);
            }
        } else {
            log.warn("the application's processRecords threw on a batch of {} ending at {}; none of it is reported processed",
                    records.size(), end, thrown);
        }
        DeliveredBatch delivered = new DeliveredBatch(records.get(0).sequenceNumber(), records.get(records.size() - 1).sequenceNumber(),
                records.size());
        try {
            gate.report(end, List.of(new NoticeGate.Run(delivered, processed)));
        } catch (RuntimeException e) {
            // Never passed over: no checkpoint goes beyond this batch, its records go to the shard's next owner.
            gate.unreportable(end);
            log.error("a batch of {} records ending at {} could not be reported; no checkpoint of this shard passes it",
                    records.size(), end, e);
        }
    }

    /** Blocks while more than maxPendingBatches wait for SNS: an outage stops consumption instead of filling memory. */
    private void awaitRoom() {
        try {
            if (gate.awaitPendingAtMost(maxPendingBatches, Duration.ZERO)) {
                return;
            }
            gate.flush();
            Duration waited = Duration.ZERO;
            while (!gate.awaitPendingAtMost(maxPendingBatches, WAIT_REPORT)) {
                waited = waited.plus(WAIT_REPORT);
                log.warn("{} batches of {} wait for SNS to accept their notices ({} s); not reading further until they are",
                        gate.pendingBatches(), shardId, waited.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            log.error("notices of {} can no longer be published: {}", shardId, e.getMessage());
        }
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        log.info("lease of {} lost; {} batches still wait for SNS and will be published", shardId, gate.pendingBatches());
        gate.flush();
        application.leaseLost(input);
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        GatedCheckpointer checkpointer = new GatedCheckpointer(gate, input.checkpointer(), latest, GatedCheckpointer.Mode.WAIT,
                null, true);
        application.shardEnded(ShardEndedInput.builder().checkpointer(checkpointer).build());
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        gate.flush();
        if (gate.requested().isPresent()) {
            // A checkpoint the application asked for in its last batch: written if its notices make it in time.
            try {
                gate.awaitPendingAtMost(0, SHUTDOWN_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IllegalStateException e) {
                log.warn("notices of {} can no longer be published: {}", shardId, e.getMessage());
            }
            gate.checkpointIfPublished(input.checkpointer());
        }
        GatedCheckpointer checkpointer = new GatedCheckpointer(gate, input.checkpointer(), latest, GatedCheckpointer.Mode.WAIT,
                SHUTDOWN_WAIT, false);
        application.shutdownRequested(ShutdownRequestedInput.builder().checkpointer(checkpointer).build());
    }
}
