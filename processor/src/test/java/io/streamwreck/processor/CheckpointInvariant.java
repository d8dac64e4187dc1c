package io.streamwreck.processor;

import io.streamwreck.core.RecordKey;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate's promise seen from outside, for the SNS-outage tests of the worker ({@link SnsOutageIT}) and of the
 * decorator ({@code DecoratedKclAppIT}): a checkpoint written while SNS was frozen covers only records whose notice
 * SNS had accepted before it recovered — and the outage mattered: records past those checkpoints were handled
 * meanwhile and reported only after recovery.
 */
final class CheckpointInvariant {

    /** A checkpoint of one shard, sampled from the lease table during the outage. */
    record Observed(String shardId, BigInteger checkpoint) {
    }

    private CheckpointInvariant() {
    }

    /** The numeric checkpoints of a lease table's shards (KCL's sentinels such as TRIM_HORIZON left out). */
    static Map<String, BigInteger> numeric(Map<String, String> checkpoints) {
        Map<String, BigInteger> out = new HashMap<>();
        checkpoints.forEach((shard, c) -> {
            if (c != null && c.matches("\\d+")) {
                out.put(shard, new BigInteger(c));
            }
        });
        return out;
    }

    /**
     * @param duringOutage the checkpoints sampled while SNS was frozen
     * @param handled      the records the consumer's code completed
     * @param acceptedAt   when SNS accepted each record's notice
     * @param resumedAt    when SNS answered again
     */
    static void holds(Collection<Observed> duringOutage, List<RecordKey> handled, Map<RecordKey, Instant> acceptedAt,
                      Instant resumedAt) {
        Map<String, BigInteger> highest = new HashMap<>();
        for (Observed o : duringOutage) {
            highest.merge(o.shardId(), o.checkpoint(), BigInteger::max);
        }
        for (Map.Entry<String, BigInteger> h : highest.entrySet()) {
            List<RecordKey> covered = handled.stream()
                    .filter(k -> k.shardId().equals(h.getKey()) && new BigInteger(k.sequenceNumber()).compareTo(h.getValue()) <= 0)
                    .toList();
            assertThat(covered).as("records under checkpoint %s of %s", h.getValue(), h.getKey())
                    .allMatch(k -> acceptedAt.containsKey(k) && acceptedAt.get(k).isBefore(resumedAt));
        }
        assertThat(handled).anyMatch(k -> highest.containsKey(k.shardId())
                && new BigInteger(k.sequenceNumber()).compareTo(highest.get(k.shardId())) > 0
                && !acceptedAt.get(k).isBefore(resumedAt));
    }
}
