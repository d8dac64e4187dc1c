package io.streamwreck.processor.kcl;

import software.amazon.kinesis.retrieval.KinesisClientRecord;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * KCL's rule for KPL aggregates, applied to a fully de-aggregated batch (see {@link ShardHashRangeHandOff}): an
 * aggregate with any user record whose effective hash key is outside the shard's range is dropped whole. What is
 * left is cut into runs of consecutive delivered records — each run becomes one delivered range in the notices, so
 * the sequence number of a dropped aggregate lies in none of them (neighbouring delivered records are the bounds).
 */
final class AggregateFilter {

    /** An aggregate KCL's rule drops: its sequence number, its user records, how many of them are out of range. */
    record Dropped(String sequenceNumber, int userRecords, int outOfRange) {
    }

    /**
     * @param runs    the delivered records, in order, cut around every dropped aggregate (no run is empty)
     * @param dropped the dropped aggregates, in order
     */
    record Result(List<List<KinesisClientRecord>> runs, List<Dropped> dropped) {
        int delivered() {
            return runs.stream().mapToInt(List::size).sum();
        }
    }

    private AggregateFilter() {
    }

    /** Applies the rule when {@code range} is known and the mode is strict; otherwise the batch is one run. */
    static Result apply(List<KinesisClientRecord> records, ShardHashRangeHandOff.HashRange range, KplDeaggregation mode) {
        if (records.isEmpty()) {
            return new Result(List.of(), List.of());
        }
        if (range == null || mode == KplDeaggregation.ALL) {
            return new Result(List.of(records), List.of());
        }
        List<List<KinesisClientRecord>> runs = new ArrayList<>();
        List<Dropped> dropped = new ArrayList<>();
        List<KinesisClientRecord> run = new ArrayList<>();
        int i = 0;
        while (i < records.size()) {
            KinesisClientRecord first = records.get(i);
            if (!first.aggregated()) {
                run.add(first);
                i++;
                continue;
            }
            // The user records of one aggregate are adjacent and share its sequence number.
            int end = i;
            int outOfRange = 0;
            while (end < records.size() && records.get(end).aggregated()
                    && records.get(end).sequenceNumber().equals(first.sequenceNumber())) {
                if (!range.contains(effectiveHashKey(records.get(end)))) {
                    outOfRange++;
                }
                end++;
            }
            if (outOfRange == 0) {
                run.addAll(records.subList(i, end));
            } else {
                dropped.add(new Dropped(first.sequenceNumber(), end - i, outOfRange));
                if (!run.isEmpty()) {
                    runs.add(run);
                    run = new ArrayList<>();
                }
            }
            i = end;
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return new Result(runs, dropped);
    }

    /** As KCL computes it: the explicit hash key when there is one, else the MD5 of the partition key (UTF-8). */
    static BigInteger effectiveHashKey(KinesisClientRecord record) {
        if (record.explicitHashKey() != null) {
            return new BigInteger(record.explicitHashKey());
        }
        try {
            return new BigInteger(1, MessageDigest.getInstance("MD5").digest(record.partitionKey().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }
}
