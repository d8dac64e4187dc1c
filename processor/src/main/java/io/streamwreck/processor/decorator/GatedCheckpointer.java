package io.streamwreck.processor.decorator;

import io.streamwreck.processor.kcl.NoticeGate;
import io.streamwreck.processor.kcl.Position;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.processor.Checkpointer;
import software.amazon.kinesis.processor.PreparedCheckpointer;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

import java.time.Duration;

/**
 * The checkpointer a wrapped processor is given instead of KCL's: every checkpoint goes through the shard's
 * {@link NoticeGate}, so it takes effect only once the notices of everything up to it are published.
 *
 * <ul>
 * <li>In {@code processRecords} ({@link Mode#DEFER}) the notices of the current batch cannot be published yet (the
 *     batch is reported when the call returns), so a checkpoint there is <i>requested</i> and returns at once; it is
 *     written with KCL's checkpointer at the next call KCL makes on the shard (next batch, shutdown) once published.
 *     A checkpoint at a position already published is written at once, KCL's exceptions reaching the caller.</li>
 * <li>In {@code shardEnded} and {@code shutdownRequested} ({@link Mode#WAIT}) there is no later call: the checkpoint
 *     waits for the notices (shard end: however long; shutdown: a bound), then is written, exceptions as KCL's.</li>
 * </ul>
 * Prepared checkpoints are prepared at once (a pending checkpoint moves no lease); their {@code checkpoint()} is gated.
 * {@link #checkpointer()} would bypass the gate and is refused. Like KCL's own, it is called on the shard's KCL thread
 * (the gate is confined to it): an application that checkpoints from other threads hands the call back to KCL's.
 */
final class GatedCheckpointer implements RecordProcessorCheckpointer {

    private static final Logger log = LoggerFactory.getLogger(GatedCheckpointer.class);

    enum Mode { DEFER, WAIT }

    private final NoticeGate gate;
    private final RecordProcessorCheckpointer kcl;
    private final Position latest;
    private final Mode mode;
    private final Duration waitAtMost;
    private final boolean shardEnd;

    /**
     * @param latest     the end of the last batch delivered to the processor (what a plain {@code checkpoint()} means), or null
     * @param waitAtMost in {@link Mode#WAIT}, how long a checkpoint waits for its notices
     * @param shardEnd   whether a plain {@code checkpoint()} means SHARD_END (in {@code shardEnded})
     */
    GatedCheckpointer(NoticeGate gate, RecordProcessorCheckpointer kcl, Position latest, Mode mode, Duration waitAtMost,
                      boolean shardEnd) {
        this.gate = gate;
        this.kcl = kcl;
        this.latest = latest;
        this.mode = mode;
        this.waitAtMost = waitAtMost;
        this.shardEnd = shardEnd;
    }

    @Override
    public void checkpoint() throws KinesisClientLibDependencyException, InvalidStateException, ThrottlingException, ShutdownException {
        if (shardEnd) {
            // After SHARD_END nothing of this shard is delivered again: every notice of it first.
            if (!awaitAllPublished()) {
                throw new InvalidStateException("the notices of this shard are not all published; SHARD_END not checkpointed, "
                        + "the shard is delivered again");
            }
            kcl.checkpoint();
            return;
        }
        if (latest == null) {
            // Nothing delivered yet, nothing to report: KCL's own answer.
            kcl.checkpoint();
            return;
        }
        gated(latest);
    }

    @Override
    public void checkpoint(Record record) throws KinesisClientLibDependencyException, InvalidStateException, ThrottlingException,
            ShutdownException {
        if (record == null) {
            throw new IllegalArgumentException("Could not checkpoint a null record");
        }
        gated(new Position(record.sequenceNumber(), 0));
    }

    @Override
    public void checkpoint(String sequenceNumber) throws KinesisClientLibDependencyException, InvalidStateException,
            ThrottlingException, ShutdownException {
        gated(new Position(sequenceNumber, 0));
    }

    @Override
    public void checkpoint(String sequenceNumber, long subSequenceNumber) throws KinesisClientLibDependencyException,
            InvalidStateException, ThrottlingException, ShutdownException {
        gated(new Position(sequenceNumber, subSequenceNumber));
    }

    private void gated(Position position) throws KinesisClientLibDependencyException, InvalidStateException, ThrottlingException,
            ShutdownException {
        if (!position.numeric()) {
            // Not a place in the shard: KCL answers (it refuses it), nothing to gate.
            kcl.checkpoint(position.sequenceNumber(), position.subSequenceNumber());
            return;
        }
        if (gate.isPublished(position)) {
            kcl.checkpoint(position.sequenceNumber(), position.subSequenceNumber());
            gate.checkpointedAt(position);
            return;
        }
        if (mode == Mode.DEFER) {
            gate.request(position);
            return;
        }
        if (awaitAllPublished() || gate.isPublished(position)) {
            kcl.checkpoint(position.sequenceNumber(), position.subSequenceNumber());
            gate.checkpointedAt(position);
            return;
        }
        // Shutdown: what was published is checkpointed, the rest is delivered again to the next owner.
        gate.publishedUpTo().ifPresent(gate::request);
        log.warn("notices up to {} not published within {}; checkpointing the published part only ({})", position, waitAtMost,
                gate.publishedUpTo().map(Position::toString).orElse("nothing"));
        gate.checkpointIfPublished(kcl);
    }

    private boolean awaitAllPublished() throws InvalidStateException {
        gate.flush();
        try {
            if (waitAtMost == null) {
                while (!gate.awaitPendingAtMost(0, Duration.ofSeconds(10))) {
                    log.warn("{} batches wait for SNS to accept their notices before the checkpoint", gate.pendingBatches());
                }
                return true;
            }
            return gate.awaitPendingAtMost(0, waitAtMost);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (IllegalStateException e) {
            throw new InvalidStateException("notices cannot be published: " + e.getMessage(), e);
        }
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint() throws KinesisClientLibDependencyException, InvalidStateException,
            ThrottlingException, ShutdownException {
        return gated(kcl.prepareCheckpoint());
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(byte[] applicationState) throws KinesisClientLibDependencyException,
            InvalidStateException, ThrottlingException, ShutdownException {
        return gated(kcl.prepareCheckpoint(applicationState));
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(Record record) throws KinesisClientLibDependencyException,
            InvalidStateException, ThrottlingException, ShutdownException {
        return gated(kcl.prepareCheckpoint(record));
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(Record record, byte[] applicationState) throws KinesisClientLibDependencyException,
            InvalidStateException, ThrottlingException, ShutdownException {
        return gated(kcl.prepareCheckpoint(record, applicationState));
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(String sequenceNumber) throws KinesisClientLibDependencyException,
            InvalidStateException, ThrottlingException, ShutdownException {
        return gated(kcl.prepareCheckpoint(sequenceNumber));
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(String sequenceNumber, byte[] applicationState)
            throws KinesisClientLibDependencyException, InvalidStateException, ThrottlingException, ShutdownException {
        return gated(kcl.prepareCheckpoint(sequenceNumber, applicationState));
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(String sequenceNumber, long subSequenceNumber)
            throws KinesisClientLibDependencyException, InvalidStateException, ThrottlingException, ShutdownException {
        return gated(kcl.prepareCheckpoint(sequenceNumber, subSequenceNumber));
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(String sequenceNumber, long subSequenceNumber, byte[] applicationState)
            throws KinesisClientLibDependencyException, InvalidStateException, ThrottlingException, ShutdownException {
        return gated(kcl.prepareCheckpoint(sequenceNumber, subSequenceNumber, applicationState));
    }

    /** KCL's own checkpointer writes the lease directly, past the gate. */
    @Override
    public Checkpointer checkpointer() {
        throw new UnsupportedOperationException("checkpointer() would bypass the notice gate: checkpoint through this "
                + "RecordProcessorCheckpointer instead");
    }

    private PreparedCheckpointer gated(PreparedCheckpointer prepared) {
        GatedCheckpointer self = this;
        return new PreparedCheckpointer() {
            @Override
            public ExtendedSequenceNumber pendingCheckpoint() {
                return prepared.pendingCheckpoint();
            }

            @Override
            public void checkpoint() throws KinesisClientLibDependencyException, InvalidStateException, ThrottlingException,
                    ShutdownException, IllegalArgumentException {
                ExtendedSequenceNumber at = prepared.pendingCheckpoint();
                Position position = new Position(at.sequenceNumber(), at.subSequenceNumber());
                if (position.numeric()) {
                    self.gated(position);
                } else if (self.awaitAllPublished()) {
                    // A sentinel (SHARD_END): past everything, so after every notice.
                    prepared.checkpoint();
                }
            }
        };
    }
}
