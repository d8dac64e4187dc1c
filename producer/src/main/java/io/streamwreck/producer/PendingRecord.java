package io.streamwreck.producer;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;

/**
 * A record the writer accepted and has not finished: its future, its deadline and its progress. The mutable
 * fields are guarded by the writer's lock, except while the record is in flight, when only the thread handling
 * its call's response touches them.
 */
final class PendingRecord {

    /** Where the record is; each pending record is in exactly one place. */
    enum State { QUEUED, IN_FLIGHT, BACKING_OFF, DONE }

    /** Acceptance order, which is also deadline order because every record gets the same deadline. */
    static final Comparator<PendingRecord> BY_ORDINAL = Comparator.comparingLong(p -> p.ordinal);

    final OutgoingRecord record;
    /** The record's hash key (see {@link ShardMap#hashKeyOf}), computed once. */
    final BigInteger hashKey;
    final long ordinal;
    final String logId;
    final long acceptedAt;
    final long deadline;
    final CompletableFuture<WriteResult> future = new CompletableFuture<>();

    State state = State.QUEUED;
    /** The shard the writer expects Kinesis to choose: the shard whose rate this record counts against. */
    String shardId;
    int attempts;
    String lastError;
    long retryAt;

    PendingRecord(OutgoingRecord record, BigInteger hashKey, long ordinal, long acceptedAt, long deadline) {
        this.record = record;
        this.hashKey = hashKey;
        this.ordinal = ordinal;
        this.logId = record.id().orElse(Long.toString(ordinal));
        this.acceptedAt = acceptedAt;
        this.deadline = deadline;
    }

    int size() {
        return record.sizeInBytes();
    }
}
