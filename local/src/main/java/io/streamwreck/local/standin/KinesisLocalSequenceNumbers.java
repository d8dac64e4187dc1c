package io.streamwreck.local.standin;

import java.math.BigInteger;
import java.time.Instant;

/**
 * Sequence numbers laid out the way kinesis-local (kinesis-mock) makes them — 47 hex digits: "2", the shard's
 * creation second, the shard index, a 64-bit per-shard record counter, "00", the record's arrival second and a
 * trailer — so tests exercise the ledger with realistic numbers: 56 decimal digits, consecutive records 2^80
 * apart.
 */
public final class KinesisLocalSequenceNumbers {

    private final long shardCreated;
    private final int shardIndex;

    public KinesisLocalSequenceNumbers(Instant shardCreated, int shardIndex) {
        this.shardCreated = shardCreated.getEpochSecond();
        this.shardIndex = shardIndex;
    }

    public String shardId() {
        return String.format("shardId-%012d", shardIndex);
    }

    /** The sequence number of the shard's {@code counter}-th record, arrived at {@code arrival}. */
    public String at(long counter, Instant arrival) {
        String hex = "2" + String.format("%09x", shardCreated) + Integer.toHexString(shardIndex & 0xF)
                + String.format("%016x", counter) + "00" + String.format("%09x", arrival.getEpochSecond())
                + "0000000" + Integer.toHexString(shardIndex & 0xF) + "2";
        return new BigInteger(hex, 16).toString();
    }

    /** The counter-th record, arriving at {@code rate} records per second after the shard was created. */
    public String record(long counter, double ratePerSecond) {
        return at(counter, Instant.ofEpochSecond(shardCreated + (long) (counter / ratePerSecond)));
    }
}
