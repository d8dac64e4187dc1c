package io.streamwreck.processor.kcl;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.DeliveredBatch;
import io.streamwreck.processor.AuditLog;
import io.streamwreck.processor.handler.IncomingRecord;
import io.streamwreck.processor.handler.RecordHandler;
import io.streamwreck.publish.NoticeFactory;
import io.streamwreck.publish.NoticePublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.kinesis.exceptions.ShutdownException;
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
import java.util.function.Consumer;

/**
 * One shard's consumer: runs the handler on each record, reports what it completed in notices through the shard's
 * {@link NoticeGate} (the same gate the decorator puts around any application's processor), and checkpoints
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
 * <p>KPL aggregates: KCL drops a whole aggregate when one of its user records hashes outside the shard's range. With
 * {@link ShardHashRangeHandOff} installed, this class applies that rule itself ({@link KplDeaggregation#STRICT}) or
 * delivers everything ({@link KplDeaggregation#ALL}); a dropped aggregate is logged and left out of every delivered
 * range of the batch's notices (they are cut around it), so the ledger reports its user records undelivered.
 *
 * <p>A batch that cannot be reported at all (the audit log cannot be written, a notice cannot be built) holds every
 * later checkpoint; once that has lasted {@code reportTimeout}, the shard gives up: one ERROR line, the
 * {@code giveUp} callback (the worker exits, see ProcessorMain), and no more batches are handled here, so another
 * worker takes the shard from its last checkpoint. Waiting for SNS is not "cannot report": an SNS outage is waited
 * out however long it lasts.
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
    private final KplDeaggregation kplDeaggregation;
    private final Duration reportTimeout;
    private final Consumer<String> giveUp;

    /** This shard's notices and the checkpoint they gate (created in {@link #initialize}). */
    private NoticeGate gate;
    /** When the first batch that could not be reported was handled ({@code System.nanoTime()}), or null. */
    private Long unreportableSince;
    private boolean gaveUp;
    private boolean warnedNoHandOff;
    private String shardId;
    /** The checkpoint this worker took the shard from (for the give-up message). */
    private String startedFrom;
    private long checkpointedAt = System.nanoTime();

    public ShardProcessor(RecordHandler handler, NoticeFactory notices, NoticePublisher publisher, AuditLog audit,
                          ProcessorCounters counters, int maxPendingBatches, Duration checkpointInterval, Clock clock) {
        this(handler, notices, publisher, audit, counters, maxPendingBatches, checkpointInterval, clock,
                KplDeaggregation.STRICT, Duration.ofSeconds(30), shard -> { });
    }

    /**
     * @param kplDeaggregation what to do with an aggregate whose user records hash outside the shard
     * @param reportTimeout    how long a batch may stay unreportable before this shard gives up
     * @param giveUp           called once, with the shard id, when it gives up
     */
    public ShardProcessor(RecordHandler handler, NoticeFactory notices, NoticePublisher publisher, AuditLog audit,
                          ProcessorCounters counters, int maxPendingBatches, Duration checkpointInterval, Clock clock,
                          KplDeaggregation kplDeaggregation, Duration reportTimeout, Consumer<String> giveUp) {
        this.handler = handler;
        this.notices = notices;
        this.publisher = publisher;
        this.audit = audit;
        this.counters = counters;
        this.maxPendingBatches = maxPendingBatches;
        this.checkpointInterval = checkpointInterval;
        this.clock = clock;
        this.kplDeaggregation = kplDeaggregation;
        this.reportTimeout = reportTimeout;
        this.giveUp = giveUp;
    }

    /**
     * Called once before any records, with the shard and the checkpoint this worker starts from (records after
     * it are delivered, including any a previous owner handled but did not checkpoint).
     */
    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        gate = new NoticeGate(shardId, notices, publisher, audit, clock);
        startedFrom = String.valueOf(input.extendedSequenceNumber() == null ? null : input.extendedSequenceNumber().sequenceNumber());
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
            ShardHashRangeHandOff.Taken handOff = ShardHashRangeHandOff.take(records);
            if (gaveUp || reportOverdue()) {
                // Nothing more is handled here: the records after the checkpoint go to the shard's next owner.
                return;
            }
            if (!records.isEmpty()) {
                if (!handOff.handedOff() && !warnedNoHandOff && records.stream().anyMatch(KinesisClientRecord::aggregated)) {
                    warnedNoHandOff = true;
                    log.warn("KPL aggregates arrive without the shard's hash-key range (ShardHashRangeHandOff is not KCL's "
                            + "aggregatorUtil): aggregates KCL dropped cannot be told apart and would be reported skipped");
                }
                handleBatch(records, handOff.range());
            } else if (gate.pendingBatches() > 0) {
                // Caught up: no more notices are coming to share a call, so lingering would only delay the checkpoint.
                gate.flush();
            }
            if (!gate.awaitPendingAtMost(maxPendingBatches, Duration.ZERO) && !waitForSns(maxPendingBatches)) {
                return;
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

    private void handleBatch(List<KinesisClientRecord> records, ShardHashRangeHandOff.HashRange range) {
        // The batch's end, dropped aggregates included: once reported, the checkpoint may pass them (they are
        // undelivered, and KCL would drop them again on every delivery).
        Position end = Position.of(records.get(records.size() - 1));
        try {
            AggregateFilter.Result filtered = AggregateFilter.apply(records, range, kplDeaggregation);
            for (AggregateFilter.Dropped d : filtered.dropped()) {
                log.warn("KPL aggregate {} dropped as KCL does: {} of its {} user records hash outside this shard's "
                                + "hash-key range; its user records are reported undelivered (--kpl-deaggregation all delivers them)",
                        d.sequenceNumber(), d.outOfRange(), d.userRecords());
                counters.droppedAggregate(d.userRecords());
            }
            report(end, filtered.runs(), records.size());
        } catch (RuntimeException | Error e) {
            // The batch's records may be handled but cannot be reported. A future that never completes keeps every
            // later checkpoint behind this batch, so its records are delivered again to the shard's next owner,
            // rather than passed over and misreported as undelivered; after reportTimeout this shard gives up.
            gate.unreportable(end);
            if (unreportableSince == null) {
                unreportableSince = System.nanoTime();
                log.error("a batch of {} records ending at {} could not be reported; this shard will not checkpoint past it "
                        + "and gives up within {}", records.size(), end, reportTimeout, e);
            } else {
                log.warn("another batch of {} records ending at {} could not be reported either: {}", records.size(), end, e.toString());
            }
        }
    }

    /** Whether a batch has been unreportable for reportTimeout; gives up when it has. */
    private boolean reportOverdue() {
        if (unreportableSince == null || System.nanoTime() - unreportableSince < reportTimeout.toNanos()) {
            return false;
        }
        if (!gaveUp) {
            gaveUp = true;
            log.error("giving up shard {}: a batch could not be reported for {} (see the error above); not checkpointing "
                    + "past it, so its next owner starts from checkpoint {}", shardId, reportTimeout,
                    gate.checkpointed() != null ? gate.checkpointed() : startedFrom);
            giveUp.accept(shardId);
        }
        return true;
    }

    /** Runs the handler on every delivered record and queues the batch's notices, one delivered range per run. */
    private void report(Position end, List<List<KinesisClientRecord>> runs, int received) {
        List<NoticeGate.Run> reported = new ArrayList<>(runs.size());
        int completedCount = 0;
        int failed = 0;
        for (List<KinesisClientRecord> run : runs) {
            List<RecordKey> completed = new ArrayList<>(run.size());
            failed += handle(run, completed);
            completedCount += completed.size();
            reported.add(new NoticeGate.Run(new DeliveredBatch(run.get(0).sequenceNumber(),
                    run.get(run.size() - 1).sequenceNumber(), run.size()), completed));
        }
        counters.batch(received, completedCount, failed);
        gate.report(end, reported);
    }

    /** The handler on each record; the keys it completed go to {@code completed}. Returns how many failed. */
    private int handle(List<KinesisClientRecord> records, List<RecordKey> completed) {
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
        return failed;
    }

    /**
     * Blocks while SNS is behind, saying so every few seconds; an SNS outage is waited out however long it lasts.
     * With an unreportable batch among the pending ones, waits only until reportTimeout and gives up.
     *
     * @return true when at most {@code max} batches are pending, false when this shard gave up
     */
    private boolean waitForSns(int max) throws InterruptedException {
        gate.flush();
        Duration waited = Duration.ZERO;
        while (true) {
            Duration slice = WAIT_REPORT;
            if (unreportableSince != null) {
                if (reportOverdue()) {
                    return false;
                }
                long left = reportTimeout.toNanos() - (System.nanoTime() - unreportableSince);
                slice = Duration.ofNanos(Math.max(1, Math.min(slice.toNanos(), left)));
            }
            if (gate.awaitPendingAtMost(max, slice)) {
                return true;
            }
            waited = waited.plus(slice);
            if (unreportableSince == null) {
                log.warn("{} batches wait for SNS to accept their notices ({} s); not reading further until they are",
                        gate.pendingBatches(), waited.toSeconds());
            }
        }
    }

    private void checkpointPublished(RecordProcessorCheckpointer checkpointer) {
        gate.publishedUpTo().ifPresent(gate::request);
        if (gate.checkpointIfPublished(checkpointer)) {
            checkpointedAt = System.nanoTime();
            counters.checkpoint();
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
            log.info("lease lost; {} batches still wait for SNS and will be published", gate.pendingBatches());
            gate.flush();
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
            if (gaveUp || !waitForSns(0)) {
                log.error("shard ended, but a batch of it could not be reported: SHARD_END not checkpointed, the shard is read again");
                return;
            }
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
            gate.flush();
            // Within the worker's whole graceful-shutdown budget (ProcessorApp: 20 s). An unreportable batch is never
            // published: waiting for it would only delay the checkpoint of what came before it.
            if (unreportableSince == null && !gate.awaitPendingAtMost(0, Duration.ofSeconds(15))) {
                log.warn("{} batches were not published within 15 s of shutdown; checkpointing what was", gate.pendingBatches());
            }
            checkpointPublished(input.checkpointer());
            log.info("shut down; checkpointed at {}", gate.checkpointed());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("shutting down without a final checkpoint: {}", e.getMessage());
        } finally {
            MDC.remove(MDC_SHARD);
        }
    }
}
