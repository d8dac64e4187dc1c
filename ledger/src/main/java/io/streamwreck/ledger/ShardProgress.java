package io.streamwreck.ledger;

import io.streamwreck.core.RecordKey;

/**
 * How far a KCL consumer application has read one shard, from its lease: up to a checkpoint (a sequence number
 * and, inside a KPL aggregate, a sub-sequence number), all of it, or nothing yet.
 *
 * @param checkpoint the lease's checkpoint as KCL wrote it ({@code TRIM_HORIZON}, {@code SHARD_END}, a sequence
 *                   number, …), or {@code none} for a shard without a lease
 */
public record ShardProgress(State state, String checkpoint, long subSequenceNumber) {

    public enum State {
        /** Read up to and including the checkpoint. */
        READ_TO,
        /** Read to its end: checkpointed at SHARD_END, or closed and its lease cleaned up. */
        FULLY_READ,
        /** Not read yet: a lease still at its initial position, or a shard with no lease that is not a known parent. */
        NOT_STARTED
    }

    /** Whether {@code key} is after this position: the consumer has not reached it yet. */
    public boolean ahead(RecordKey key) {
        return switch (state) {
            case FULLY_READ -> false;
            case NOT_STARTED -> true;
            case READ_TO -> {
                int bySequence = RecordKey.compareSequenceNumbers(key.sequenceNumber(), checkpoint);
                yield bySequence > 0 || (bySequence == 0 && key.hasSubSequenceNumber() && key.subSequenceNumber() > subSequenceNumber);
            }
        };
    }
}
