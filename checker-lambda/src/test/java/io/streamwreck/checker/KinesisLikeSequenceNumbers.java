package io.streamwreck.checker;

import java.math.BigInteger;
import java.time.Instant;

/**
 * Sequence numbers laid out the way kinesis-local (kinesis-mock) makes them — 47 hex digits: "2", the shard's
 * creation second, the shard index, a 64-bit per-shard record counter, "00", the record's arrival second and a
 * trailer — so tests ask the checker about realistic numbers: 56 decimal digits, consecutive records 2^80 apart.
 * Deterministic: the fixtures under {@code events/} quote numbers made by this class.
 */
final class KinesisLikeSequenceNumbers {

    private final long shardCreated;
    private final int shardIndex;

    KinesisLikeSequenceNumbers(Instant shardCreated, int shardIndex) {
        this.shardCreated = shardCreated.getEpochSecond();
        this.shardIndex = shardIndex;
    }

    String shardId() {
        return String.format("shardId-%012d", shardIndex);
    }

    /** The sequence number of the shard's {@code counter}-th record, written at {@code ratePerSecond}. */
    String record(long counter, double ratePerSecond) {
        long arrival = shardCreated + (long) (counter / ratePerSecond);
        String hex = "2" + String.format("%09x", shardCreated) + Integer.toHexString(shardIndex & 0xF)
                + String.format("%016x", counter) + "00" + String.format("%09x", arrival)
                + "0000000" + Integer.toHexString(shardIndex & 0xF) + "2";
        return new BigInteger(hex, 16).toString();
    }
}
