package io.streamwreck.processor.kcl;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.DeliveredBatch;
import io.streamwreck.processor.AuditLog;
import io.streamwreck.processor.handler.IncomingRecord;
import io.streamwreck.processor.handler.RecordHandler;
import io.streamwreck.processor.publish.NoticeFactory;
import io.streamwreck.processor.publish.NoticePublisher;
import io.streamwreck.processor.publish.OutgoingNotice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One shard's consumer: runs the handler on each record, reports what it completed in notices, and checkpoints
 * only records whose notices SNS has accepted. The invariant everything here serves: <b>a checkpoint never
 * passes an unpublished notice</b>, so a record is either reported or delivered again after a failover.
 *
 * <p>Checkpoints trail publishing: a batch's notices go to the shared {@link NoticePublisher} and the next call
 * (KCL calls even with an empty batch, see {@code callProcessRecordsEvenForEmptyRecordList}) checkpoints
 * whatever has been confirmed by then. At most {@code maxPendingBatches} batches may wait for SNS; beyond that
 * this shard waits, so an SNS outage stops consumption instead of filling memory. With a checkpoint interval, the
 * published prefix is checkpointed at most that often (fewer DynamoDB writes, more records delivered again after a
 * failover); shutdown and shard end always checkpoint.
 *
 * <p>KCL calls these methods from one thread at a time per shard.
 */
public final class ShardProcessor implements ShardRecordProcessor {

    private static final Logger log = LoggerFactory.getLogger(ShardProcessor.class);
    private static final String MDC_SHARD = "ShardId";
    /** How often a shard that waits for SNS says so. */
    private static final Duration WAIT_REPORT = Duration.ofSeconds(10);

    private final RecordHandler handler;
    private final NoticeFactory notices;
    private final NoticePublisher publisher;
    private final AuditLog audit;
    private final ProcessorCounters counters;
    private final int maxPendingBatches;
    private final Duration checkpointInterval;
    private final Clock clock;

    private final ShardProgress progress = new ShardProgress();
    private String shardId;
    private Position checkpointed;
    private long checkpointedAt = System.nanoTime();

    public ShardProcessor(RecordHandler handler, NoticeFactory notices, NoticePublisher publisher, AuditLog audit,
                          ProcessorCounters counters, int maxPendingBatches, Duration checkpointInterval, Clock clock) {
        this.handler = handler;
        this.notices = notices;
        this.publisher = publisher;
        this.audit = audit;
        this.counters = counters;
        this.maxPendingBatches = maxPendingBatches;
        this.checkpointInterval = checkpointInterval;
        this.clock = clock;
    }

    /**
     * Called once before any records, with the shard and the checkpoint this worker starts from (records after
     * it are delivered, including any a previous owner handled but did not checkpoint).
     */
    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        MDC.put(MDC_SHARD, shardId);
        try {
            log.info("taking shard {} from checkpoint {}", shardId, input.extendedSequenceNumber());
        } finally {
            MDC.remove(MDC_SHARD);
        }
    }

    /**
     * Handles one batch: every record through the handler (a failure marks that record unprocessed and the batch
     * goes on), the batch's notices queued for SNS, then a checkpoint at the end of the published prefix. Never
     * throws: KCL would skip the batch silently.
     */
    @Override
    public void processRecords(ProcessRecordsInput input) {
        MDC.put(MDC_SHARD, shardId);
        try {
            List<KinesisClientRecord> records = input.records();
            if (!records.isEmpty()) {
                handleBatch(records);
            } else if (progress.pendingBatches() > 0) {
                // Caught up: no more notices are coming to share a call, so lingering would only delay the checkpoint.
                publisher.flush();
            }
            if (!progress.awaitPendingAtMost(maxPendingBatches, Duration.ZERO)) {
                waitForSns(maxPendingBatches);
            }
            if (System.nanoTime() - checkpointedAt >= checkpointInterval.toNanos()) {
                checkpointPublished(input.checkpointer());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("interrupted while waiting for notices to be published; not checkpointing");
        } catch (RuntimeException | Error e) {
            // Records handled here are in the notices already queued or not reported at all; an escaping exception
            // would make KCL drop the batch silently, so log it and let the checkpoint stay where it is.
            log.error("unexpected failure processing a batch of {} records; checkpoint not moved", input.records().size(), e);
        } finally {
            MDC.remove(MDC_SHARD);
        }
    }

    private void handleBatch(List<KinesisClientRecord> records) {
        Position end = Position.of(records.get(records.size() - 1));
        try {
            progress.add(end, report(records));
        } catch (RuntimeException | Error e) {
            // The batch's records may be handled but cannot be reported. A future that never completes keeps every
            // later checkpoint behind this batch, so after a restart its records are delivered again, rather than
            // passed over and misreported as undelivered.
            progress.add(end, new CompletableFuture<>());
            log.error("a batch of {} records ending at {} could not be reported; this shard will not checkpoint past it "
                    + "(restart the worker to have it delivered again)", records.size(), end, e);
        }
    }

    /** Runs the handler on every record and queues the batch's notices; the future completes when SNS has them all. */
    private CompletableFuture<Void> report(List<KinesisClientRecord> records) {
        List<RecordKey> completed = new ArrayList<>(records.size());
        int failed = 0;
        for (KinesisClientRecord record : records) {
            IncomingRecord incoming = new IncomingRecord(shardId, record.sequenceNumber(), record.aggregated(),
                    record.subSequenceNumber(), record.partitionKey(), record.data().asReadOnlyBuffer(),
                    record.approximateArrivalTimestamp());
            RecordKey key = incoming.key();
            try {
                if (handler.handle(incoming)) {
                    completed.add(key);
                }
            } catch (Exception | LinkageError | AssertionError e) {
                failed++;
                log.warn("handler failed on {}; reported as not processed", key, e);
            }
        }
        DeliveredBatch batch = new DeliveredBatch(records.get(0).sequenceNumber(),
                records.get(records.size() - 1).sequenceNumber(), records.size());
        List<OutgoingNotice> outgoing = notices.forBatch(shardId, batch, completed);
        audit.completed(outgoing, clock.instant());
        counters.batch(records.size(), completed.size(), failed);
        CompletableFuture<Void> published = publisher.publish(outgoing);
        if (audit.enabled()) {
            published.thenRun(() -> audit.published(outgoing, clock.instant()));
        }
        return published;
    }

    /** Blocks while SNS is behind, saying so every few seconds. */
    private void waitForSns(int max) throws InterruptedException {
        publisher.flush();
        Duration waited = Duration.ZERO;
        while (!progress.awaitPendingAtMost(max, WAIT_REPORT)) {
            waited = waited.plus(WAIT_REPORT);
            log.warn("{} batches wait for SNS to accept their notices ({} s); not reading further until they are",
                    progress.pendingBatches(), waited.toSeconds());
        }
    }

    private void checkpointPublished(RecordProcessorCheckpointer checkpointer) {
        Optional<Position> upTo = progress.publishedUpTo();
        if (upTo.isEmpty() || upTo.get().equals(checkpointed)) {
            return;
        }
        Position position = upTo.get();
        try {
            checkpointer.checkpoint(position.sequenceNumber(), position.subSequenceNumber());
            checkpointed = position;
            checkpointedAt = System.nanoTime();
            counters.checkpoint();
        } catch (ShutdownException e) {
            log.info("lease lost before checkpointing at {}; the new owner starts from the previous checkpoint", position);
        } catch (ThrottlingException | KinesisClientLibDependencyException e) {
            log.warn("checkpoint at {} failed, retried with the next batch: {}", position, e.toString());
        } catch (InvalidStateException e) {
            log.error("checkpoint at {} failed: the lease table is missing or unusable", position, e);
        }
    }

    /**
     * Called when another worker took the lease: this worker may no longer checkpoint. Notices of records it
     * handled stay queued and are still published (those records were processed, and the new owner will process
     * the unchecked ones again: duplicates the ledger must see).
     */
    @Override
    public void leaseLost(LeaseLostInput input) {
        MDC.put(MDC_SHARD, shardId);
        try {
            log.info("lease lost; {} batches still wait for SNS and will be published", progress.pendingBatches());
            publisher.flush();
        } finally {
            MDC.remove(MDC_SHARD);
        }
    }

    /**
     * Called when the shard was closed by a reshard and every record of it was delivered. Checkpointing here is
     * what lets the child shards start; it happens only after every notice of this shard is published, because
     * after SHARD_END nothing of this shard is ever delivered again.
     */
    @Override
    public void shardEnded(ShardEndedInput input) {
        MDC.put(MDC_SHARD, shardId);
        try {
            waitForSns(0);
            input.checkpointer().checkpoint();
            log.info("shard ended; checkpointed at SHARD_END");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("interrupted before every notice was published; SHARD_END not checkpointed, the shard is read again");
        } catch (ShutdownException e) {
            log.info("lease lost before checkpointing SHARD_END; the new owner finishes the shard");
        } catch (Exception e) {
            log.error("cannot checkpoint SHARD_END; the shard will be delivered again", e);
        } finally {
            MDC.remove(MDC_SHARD);
        }
    }

    /**
     * Called on graceful shutdown (SIGTERM): publishes what is pending and checkpoints it, so the next owner
     * starts exactly after the last reported record.
     */
    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        MDC.put(MDC_SHARD, shardId);
        try {
            publisher.flush();
            // Within the worker's whole graceful-shutdown budget (ProcessorApp: 20 s).
            if (!progress.awaitPendingAtMost(0, Duration.ofSeconds(15))) {
                log.warn("{} batches were not published within 15 s of shutdown; checkpointing what was", progress.pendingBatches());
            }
            checkpointPublished(input.checkpointer());
            log.info("shut down; checkpointed at {}", checkpointed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("shutting down without a final checkpoint: {}", e.getMessage());
        } finally {
            MDC.remove(MDC_SHARD);
        }
    }
}
