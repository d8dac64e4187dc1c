package io.streamwreck.ledger;

import java.math.BigInteger;

/**
 * kinesis-local's sequence number layout, fitted to real numbers of one shard: 47 hex digits = a fixed
 * prefix ("2", shard creation second, shard nibble), a 64-bit per-shard counter, "00", the arrival second,
 * a fixed trailer. {@link #fits} checks a real number against the model; {@link #at} continues the shard's
 * sequence past what was captured, so a million-record ledger can be built from numbers kinesis-local would
 * have given, without writing for days at 10 records/s.
 */
final class SequenceModel {

    private final String prefix;
    private final String trailer;
    private final long firstCounter;
    private final long firstSecond;

    private SequenceModel(String prefix, String trailer, long firstCounter, long firstSecond) {
        this.prefix = prefix;
        this.trailer = trailer;
        this.firstCounter = firstCounter;
        this.firstSecond = firstSecond;
    }

    static SequenceModel of(String firstSequenceNumber) {
        String hex = hex(firstSequenceNumber);
        return new SequenceModel(hex.substring(0, 11), hex.substring(38), Long.parseLong(hex.substring(11, 27), 16),
                Long.parseLong(hex.substring(29, 38), 16));
    }

    private static String hex(String sequenceNumber) {
        String hex = new BigInteger(sequenceNumber).toString(16);
        if (hex.length() != 47) {
            throw new IllegalArgumentException(sequenceNumber + " is not in kinesis-local's 47-hex-digit layout");
        }
        return hex;
    }

    /** The counter-th record after the first one, arriving {@code seconds} after it. */
    String at(long counter, long seconds) {
        String hex = prefix + String.format("%016x", firstCounter + counter) + "00"
                + String.format("%09x", firstSecond + seconds) + trailer;
        return new BigInteger(hex, 16).toString();
    }

    /** Whether a real number is the {@code counter}-th of this shard, up to its arrival second. */
    boolean fits(String real, long counter) {
        String hex = hex(real);
        long second = Long.parseLong(hex.substring(29, 38), 16) - firstSecond;
        return at(counter, second).equals(real);
    }
}
