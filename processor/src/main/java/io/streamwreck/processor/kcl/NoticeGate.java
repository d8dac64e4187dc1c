package io.streamwreck.processor.kcl;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.DeliveredBatch;
import io.streamwreck.processor.AuditLog;
import io.streamwreck.publish.NoticeFactory;
import io.streamwreck.publish.NoticePublisher;
import io.streamwreck.publish.OutgoingNotice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One shard's notices and the checkpoint they gate: the single implementation of <b>a checkpoint never passes an
 * unpublished notice</b>, shared by the processor's own {@link ShardProcessor} and the decorator
 * ({@code io.streamwreck.processor.decorator}) around any application's {@code ShardRecordProcessor}.
 *
 * <p>Each batch is {@link #report reported} (its notices queued for SNS) or marked {@link #unreportable}; a checkpoint
 * is {@link #request requested} at any position and {@link #checkpointIfPublished taken} only once every batch up to
 * it is published. Confined to the shard's KCL thread; the publisher completes the futures on its own.
 */
public final class NoticeGate {

    private static final Logger log = LoggerFactory.getLogger(NoticeGate.class);

    /** One delivered range of a batch and the keys of it that were processed. */
    public record Run(DeliveredBatch delivered, List<RecordKey> processed) {
    }

    private final String shardId;
    private final NoticeFactory notices;
    private final NoticePublisher publisher;
    private final AuditLog audit;
    private final Clock clock;
    private final ShardProgress progress = new ShardProgress();
    private Position requested;
    private Position checkpointed;

    public NoticeGate(String shardId, NoticeFactory notices, NoticePublisher publisher, AuditLog audit, Clock clock) {
        this.shardId = shardId;
        this.notices = notices;
        this.publisher = publisher;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Queues the notices of one batch ending at {@code end} (dropped records included), one delivered range per run.
     * On an exception nothing was queued: the caller marks the batch {@link #unreportable}.
     */
    public void report(Position end, List<Run> runs) {
        List<OutgoingNotice> outgoing = new ArrayList<>(runs.size());
        for (Run run : runs) {
            outgoing.addAll(notices.forBatch(shardId, run.delivered(), run.processed()));
        }
        audit.completed(outgoing, clock.instant());
        if (outgoing.isEmpty()) {
            // Nothing delivered (only dropped aggregates): nothing to report, nothing to wait for.
            progress.add(end, CompletableFuture.completedFuture(null));
            return;
        }
        CompletableFuture<Void> published = publisher.publish(outgoing);
        if (audit.enabled()) {
            published.thenRun(() -> audit.published(outgoing, clock.instant()));
        }
        progress.add(end, published);
    }

    /**
     * A batch ending at {@code end} whose records may be handled but cannot be reported: no checkpoint ever passes
     * it, so its records are delivered again to the shard's next owner rather than passed over.
     */
    public void unreportable(Position end) {
        progress.add(end, new CompletableFuture<>());
    }

    public int pendingBatches() {
        return progress.pendingBatches();
    }

    /**
     * Waits until at most {@code max} batches are unpublished, or the time is up.
     *
     * @throws IllegalStateException when a batch can no longer be published (the publisher was closed)
     */
    public boolean awaitPendingAtMost(int max, Duration timeout) throws InterruptedException {
        return progress.awaitPendingAtMost(max, timeout);
    }

    /** Sends what is queued now: lingering would only delay a checkpoint someone waits for. */
    public void flush() {
        publisher.flush();
    }

    /** The end of the longest fully published prefix of batches, if any. */
    public Optional<Position> publishedUpTo() {
        return progress.publishedUpTo();
    }

    /** Whether every batch up to {@code position} is published, so a checkpoint there passes no unpublished notice. */
    public boolean isPublished(Position position) {
        Optional<Position> upTo = progress.publishedUpTo();
        return upTo.isPresent() && position.compareTo(upTo.get()) <= 0;
    }

    /** Asks for a checkpoint at {@code position}, taken once it is published; the furthest request wins. */
    public void request(Position position) {
        if (requested == null || position.compareTo(requested) > 0) {
            requested = position;
        }
    }

    /** The requested checkpoint, not yet taken, if any. */
    public Optional<Position> requested() {
        return Optional.ofNullable(requested);
    }

    /** The last checkpoint this gate took, or null. */
    public Position checkpointed() {
        return checkpointed;
    }

    /**
     * Takes the requested checkpoint if every batch up to it is published; failures are logged (the request stays,
     * retried on the next call, except when the lease is lost).
     *
     * @return whether a checkpoint was written
     */
    public boolean checkpointIfPublished(RecordProcessorCheckpointer checkpointer) {
        if (requested == null || !isPublished(requested)) {
            return false;
        }
        Position position = requested;
        if (position.equals(checkpointed)) {
            requested = null;
            return false;
        }
        try {
            checkpointer.checkpoint(position.sequenceNumber(), position.subSequenceNumber());
            checkpointed = position;
            requested = null;
            return true;
        } catch (ShutdownException e) {
            requested = null;
            log.info("lease lost before checkpointing at {}; the new owner starts from the previous checkpoint", position);
        } catch (ThrottlingException | KinesisClientLibDependencyException e) {
            log.warn("checkpoint at {} failed, retried with the next batch: {}", position, e.toString());
        } catch (InvalidStateException e) {
            log.error("checkpoint at {} failed: the lease table is missing or unusable", position, e);
        } catch (IllegalArgumentException e) {
            requested = null;
            log.error("KCL refused a checkpoint at {}: {}", position, e.getMessage());
        }
        return false;
    }

    /** Records a checkpoint taken past the gate's request path (a direct call once {@link #isPublished} said so). */
    public void checkpointedAt(Position position) {
        checkpointed = position;
        if (requested != null && requested.compareTo(position) <= 0) {
            requested = null;
        }
    }
}
