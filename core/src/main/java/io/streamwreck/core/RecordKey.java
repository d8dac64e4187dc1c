package io.streamwreck.core;

import java.util.Comparator;
import java.util.Objects;

/**
 * The identity of one record within a consumer application: its shard, its sequence number and, for a
 * user record inside a KPL-aggregated record, its sub-sequence number.
 *
 * <p>Text form (DESIGN.md "Record keys"): {@code shardId-000000000001:4959…650} or
 * {@code shardId-000000000001:4959…650:3}. Keys are kept in one canonical form (no leading zeros, no
 * whitespace) so that one record can never be counted under two spellings.
 */
public final class RecordKey implements Comparable<RecordKey> {

    /** Kinesis allows sequence numbers of up to 129 digits; real ones have 56. */
    public static final int MAX_SEQUENCE_DIGITS = 129;
    /** KCL carries sub-sequence numbers as a {@code long}. */
    public static final int MAX_SUB_SEQUENCE_DIGITS = 19;

    private static final String SHARD_PREFIX = "shardId-";
    private static final int SHARD_DIGITS = 12;
    private static final long NONE = -1;

    /** Orders keys by shard, then numerically by sequence number, then sub-sequence number (plain first). */
    private static final Comparator<RecordKey> ORDER = Comparator
            .comparing(RecordKey::shardId)
            .thenComparing(RecordKey::sequenceNumber, RecordKey::compareSequenceNumbers)
            .thenComparingLong(k -> k.subSequenceNumber);

    private final String shardId;
    private final String sequenceNumber;
    private final long subSequenceNumber;

    private RecordKey(String shardId, String sequenceNumber, long subSequenceNumber) {
        this.shardId = shardId;
        this.sequenceNumber = sequenceNumber;
        this.subSequenceNumber = subSequenceNumber;
    }

    /** A plain (not aggregated) record. */
    public static RecordKey of(String shardId, String sequenceNumber) {
        return new RecordKey(validateShardId(shardId), validateSequenceNumber(sequenceNumber), NONE);
    }

    /** A user record inside a KPL-aggregated record. */
    public static RecordKey of(String shardId, String sequenceNumber, long subSequenceNumber) {
        if (subSequenceNumber < 0) {
            throw new InvalidKeyException(String.valueOf(subSequenceNumber),
                    "a sub-sequence number must be zero or positive");
        }
        return new RecordKey(validateShardId(shardId), validateSequenceNumber(sequenceNumber), subSequenceNumber);
    }

    /**
     * Parses a shard-qualified key, {@code shardId-NNNNNNNNNNNN:SEQ[:SUB]}.
     *
     * @throws InvalidKeyException naming the input and the reason when it is not a valid key
     */
    public static RecordKey parse(String text) {
        if (text == null) {
            throw new InvalidKeyException(null, "a record key is required");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new InvalidKeyException(text, "a record key is shardId-NNNNNNNNNNNN:SEQUENCE[:SUB], "
                    + "this has no ':' after the shard id");
        }
        String shardId = text.substring(0, colon);
        try {
            validateShardId(shardId);
        } catch (InvalidKeyException e) {
            throw new InvalidKeyException(text, reasonOf(e));
        }
        return parseInShard(shardId, text.substring(colon + 1), text);
    }

    /**
     * Parses the part of a key after the shard id, {@code SEQ[:SUB]}, as notices carry it in {@code processed}.
     *
     * @throws InvalidKeyException naming the input and the reason when it is not valid
     */
    public static RecordKey parseInShard(String shardId, String sequencePart) {
        validateShardId(shardId);
        if (sequencePart == null) {
            throw new InvalidKeyException(null, "a sequence number is required");
        }
        return parseInShard(shardId, sequencePart, sequencePart);
    }

    private static RecordKey parseInShard(String shardId, String rest, String whole) {
        int colon = rest.indexOf(':');
        String sequence = colon < 0 ? rest : rest.substring(0, colon);
        String why = sequenceNumberProblem(sequence);
        if (why != null) {
            throw new InvalidKeyException(whole, why);
        }
        if (colon < 0) {
            return new RecordKey(shardId, sequence, NONE);
        }
        String sub = rest.substring(colon + 1);
        if (sub.indexOf(':') >= 0) {
            throw new InvalidKeyException(whole, "too many fields: a record key has at most three "
                    + "(shard id, sequence number, sub-sequence number)");
        }
        String subWhy = digitsProblem(sub, "sub-sequence number", MAX_SUB_SEQUENCE_DIGITS);
        if (subWhy != null) {
            throw new InvalidKeyException(whole, subWhy);
        }
        long value;
        try {
            value = Long.parseLong(sub);
        } catch (NumberFormatException e) {
            throw new InvalidKeyException(whole, "the sub-sequence number is larger than " + Long.MAX_VALUE);
        }
        return new RecordKey(shardId, sequence, value);
    }

    /**
     * Checks a Kinesis shard id of the form {@code shardId-} followed by 12 digits.
     *
     * @return the shard id, unchanged
     * @throws InvalidKeyException naming the input and the reason when it is not valid
     */
    public static String validateShardId(String shardId) {
        if (shardId == null || shardId.isEmpty()) {
            throw new InvalidKeyException(shardId, "a shard id is required (shardId-NNNNNNNNNNNN)");
        }
        if (!shardId.startsWith(SHARD_PREFIX)) {
            throw new InvalidKeyException(shardId, "a shard id starts with \"shardId-\"");
        }
        String digits = shardId.substring(SHARD_PREFIX.length());
        if (digits.length() != SHARD_DIGITS || !allDigits(digits)) {
            throw new InvalidKeyException(shardId, "a shard id is \"shardId-\" followed by exactly "
                    + SHARD_DIGITS + " digits");
        }
        return shardId;
    }

    /**
     * Checks a bare Kinesis sequence number: 1 to 129 decimal digits, no leading zero.
     *
     * @return the sequence number, unchanged
     * @throws InvalidKeyException naming the input and the reason when it is not valid
     */
    public static String validateSequenceNumber(String sequenceNumber) {
        String why = sequenceNumberProblem(sequenceNumber);
        if (why != null) {
            throw new InvalidKeyException(sequenceNumber, why);
        }
        return sequenceNumber;
    }

    /** Whether {@code text} is a valid bare sequence number (see {@link #validateSequenceNumber}). */
    public static boolean isSequenceNumber(String text) {
        return sequenceNumberProblem(text) == null;
    }

    private static String sequenceNumberProblem(String sequence) {
        if (sequence == null) {
            return "a sequence number is required";
        }
        return digitsProblem(sequence, "sequence number", MAX_SEQUENCE_DIGITS);
    }

    private static String digitsProblem(String digits, String what, int maxDigits) {
        if (digits.isEmpty()) {
            return "the " + what + " is empty";
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                String shown = Character.isWhitespace(c) || c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c);
                return "the " + what + " must be decimal digits only, found '" + shown + "' at position " + (i + 1);
            }
        }
        if (digits.length() > maxDigits) {
            return "the " + what + " has " + digits.length() + " digits, at most " + maxDigits + " are allowed";
        }
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            return "the " + what + " has a leading zero; keys are written without them";
        }
        return null;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String reasonOf(InvalidKeyException e) {
        String message = e.getMessage();
        int at = message.indexOf(": ");
        return at < 0 ? message : message.substring(at + 2);
    }

    /**
     * Compares two canonical sequence numbers numerically without parsing them: with no leading zeros,
     * the longer one is larger, and equal lengths compare as text.
     */
    public static int compareSequenceNumbers(String a, String b) {
        int byLength = Integer.compare(a.length(), b.length());
        return byLength != 0 ? byLength : a.compareTo(b);
    }

    public String shardId() {
        return shardId;
    }

    public String sequenceNumber() {
        return sequenceNumber;
    }

    public boolean hasSubSequenceNumber() {
        return subSequenceNumber != NONE;
    }

    /** The sub-sequence number; only meaningful when {@link #hasSubSequenceNumber()}. */
    public long subSequenceNumber() {
        if (!hasSubSequenceNumber()) {
            throw new IllegalStateException(this + " is a plain record and has no sub-sequence number");
        }
        return subSequenceNumber;
    }

    /** The key without its shard id, {@code SEQ[:SUB]}, as notices carry it. */
    public String sequencePart() {
        return hasSubSequenceNumber() ? sequenceNumber + ':' + subSequenceNumber : sequenceNumber;
    }

    @Override
    public int compareTo(RecordKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RecordKey)) {
            return false;
        }
        RecordKey other = (RecordKey) o;
        return subSequenceNumber == other.subSequenceNumber
                && shardId.equals(other.shardId)
                && sequenceNumber.equals(other.sequenceNumber);
    }

    @Override
    public int hashCode() {
        return Objects.hash(shardId, sequenceNumber, subSequenceNumber);
    }

    /** The canonical text form, which {@link #parse} reads back to an equal key. */
    @Override
    public String toString() {
        return shardId + ':' + sequencePart();
    }
}
