package io.streamwreck.processor.kcl;

import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

import java.math.BigInteger;
import java.util.List;

/**
 * KCL's de-aggregation, made accountable. KCL 2.7.2's {@link AggregatorUtil} silently drops a whole KPL aggregate
 * when any of its user records has an effective hash key (explicit hash key, or MD5 of the partition key) outside the
 * hash-key range of the shard holding it; the processor would never see those user records, yet they sit inside the
 * batch's delivered range and the ledger would call them <i>skipped</i>. Installed as
 * {@code LifecycleConfig.aggregatorUtil(...)}, this one de-aggregates <b>every</b> aggregate in full and hands the
 * shard's hash-key range to {@link ShardProcessor}, which applies KCL's rule itself (or not, see
 * {@link KplDeaggregation}) and knows exactly which aggregates it dropped.
 *
 * <p>The hand-off: KCL's {@code ProcessTask} calls {@code deaggregate} and then, on the same thread and without
 * copying the list, the processor's {@code processRecords}. The range travels in a thread-local together with the
 * list it belongs to; {@link #take} gives it out only for that very list (identity), so a range can never reach
 * another shard's batch. When it does not match (another KCL version, a schema-registry decoder in between) or KCL
 * knew no range (it calls the range-less overload when the shard is not in its cache), the range is unknown and
 * nothing is dropped — what KCL itself does in that case.
 */
public final class ShardHashRangeHandOff extends AggregatorUtil {

    /** The whole hash-key space, 0 .. 2^128-1: nothing is out of range. */
    static final BigInteger MIN_HASH_KEY = BigInteger.ZERO;
    static final BigInteger MAX_HASH_KEY = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    /** A shard's hash-key range, both ends included. */
    public record HashRange(BigInteger start, BigInteger end) {
        boolean contains(BigInteger hashKey) {
            return hashKey.compareTo(start) >= 0 && hashKey.compareTo(end) <= 0;
        }

        boolean whole() {
            return start.signum() <= 0 && end.compareTo(MAX_HASH_KEY) >= 0;
        }
    }

    private record HandOff(List<KinesisClientRecord> records, HashRange range) {
    }

    private static final ThreadLocal<HandOff> LAST = new ThreadLocal<>();

    /**
     * Every user record of every aggregate (KCL's parsing, with the whole hash-key space as the range), remembering
     * the shard's range for the processor. The range-less overload and the String one end up here too.
     */
    @Override
    public List<KinesisClientRecord> deaggregate(List<KinesisClientRecord> records, BigInteger startingHashKey,
                                                 BigInteger endingHashKey) {
        List<KinesisClientRecord> all = super.deaggregate(records, MIN_HASH_KEY, MAX_HASH_KEY);
        HashRange range = new HashRange(startingHashKey, endingHashKey);
        LAST.set(new HandOff(all, range.whole() ? null : range));
        return all;
    }

    /** What {@link #take} found: whether the hand-off was made for the batch, and the shard's range if KCL knew one. */
    record Taken(boolean handedOff, HashRange range) {
    }

    /**
     * The hand-off for {@code delivered}: made when this thread has just de-aggregated exactly that list; clears it
     * either way.
     */
    static Taken take(List<KinesisClientRecord> delivered) {
        HandOff last = LAST.get();
        LAST.remove();
        if (last == null || last.records() != delivered) {
            return new Taken(false, null);
        }
        return new Taken(true, last.range());
    }
}
