package io.streamwreck.processor.kcl;

import software.amazon.kinesis.retrieval.KinesisClientRecord;

import java.math.BigInteger;

/**
 * A place in a shard to checkpoint at: a sequence number and, inside a KPL-aggregated record, a sub-sequence number.
 * Ordered as KCL orders checkpoints: by sequence number (a decimal number), then sub-sequence number.
 */
public record Position(String sequenceNumber, long subSequenceNumber) implements Comparable<Position> {

    public static Position of(KinesisClientRecord record) {
        return new Position(record.sequenceNumber(), record.aggregated() ? record.subSequenceNumber() : 0);
    }

    /** @throws IllegalArgumentException when either is not a sequence number (KCL refuses to checkpoint there too) */
    @Override
    public int compareTo(Position other) {
        int bySequence = numeric(sequenceNumber).compareTo(numeric(other.sequenceNumber));
        return bySequence != 0 ? bySequence : Long.compare(subSequenceNumber, other.subSequenceNumber);
    }

    /** Whether this is a real sequence number (KCL's sentinels such as SHARD_END are not, and are not ordered here). */
    public boolean numeric() {
        return sequenceNumber != null && !sequenceNumber.isEmpty() && sequenceNumber.chars().allMatch(Character::isDigit);
    }

    private static BigInteger numeric(String sequenceNumber) {
        try {
            return new BigInteger(sequenceNumber);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("not a sequence number: " + sequenceNumber);
        }
    }

    @Override
    public String toString() {
        return subSequenceNumber == 0 ? sequenceNumber : sequenceNumber + ":" + subSequenceNumber;
    }
}
