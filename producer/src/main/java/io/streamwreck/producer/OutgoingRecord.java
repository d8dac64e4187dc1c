package io.streamwreck.producer;

import software.amazon.awssdk.core.SdkBytes;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One record to write: a partition key, the data, optionally an explicit hash key (which overrides the
 * partition key's hash when Kinesis picks the shard) and optionally an id for the written log.
 *
 * <p>Every check Kinesis would make on a single entry is made here, when the record is built, so that a bad
 * record fails at once with an {@link InvalidRecordException} instead of failing a whole PutRecords call:
 * the data plus the partition key (UTF-8) may be at most {@link KinesisLimits#MAX_RECORD_BYTES}, the
 * partition key 1 to {@link KinesisLimits#MAX_PARTITION_KEY_CHARS} characters. Immutable.
 */
public final class OutgoingRecord {

    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,38}");
    private static final BigInteger MAX_HASH_KEY = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    private static final int QUOTE_LIMIT = 40;

    private final String id;
    private final String partitionKey;
    private final SdkBytes data;
    private final String explicitHashKey;
    private final int sizeInBytes;

    private OutgoingRecord(String id, String partitionKey, SdkBytes data, String explicitHashKey) {
        this.id = id;
        this.partitionKey = partitionKey;
        this.data = data;
        this.explicitHashKey = explicitHashKey;
        this.sizeInBytes = validate(id, partitionKey, data, explicitHashKey);
    }

    /** A record with a copy of {@code data}. */
    public static OutgoingRecord of(String partitionKey, byte[] data) {
        if (data == null) {
            throw new InvalidRecordException("record data is required (it may be empty)");
        }
        return new OutgoingRecord(null, partitionKey, SdkBytes.fromByteArray(data), null);
    }

    /** A record whose data is {@code data} as it is (SdkBytes are immutable to their users). */
    public static OutgoingRecord of(String partitionKey, SdkBytes data) {
        return new OutgoingRecord(null, partitionKey, data, null);
    }

    /**
     * The same record with an id: the written log names the record by it. Without one the log uses the order
     * in which the writer accepted the record (1, 2, …).
     */
    public OutgoingRecord withId(String newId) {
        return new OutgoingRecord(newId, partitionKey, data, explicitHashKey);
    }

    /** The same record sent with an explicit hash key: a decimal number from 0 to 2^128-1. */
    public OutgoingRecord withExplicitHashKey(String hashKey) {
        return new OutgoingRecord(id, partitionKey, data, hashKey);
    }

    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    public String partitionKey() {
        return partitionKey;
    }

    public SdkBytes data() {
        return data;
    }

    public Optional<String> explicitHashKey() {
        return Optional.ofNullable(explicitHashKey);
    }

    /** Data plus partition key in bytes: what Kinesis counts against the record, call and shard limits. */
    public int sizeInBytes() {
        return sizeInBytes;
    }

    private static int validate(String id, String partitionKey, SdkBytes data, String explicitHashKey) {
        if (data == null) {
            throw new InvalidRecordException("record data is required (it may be empty)");
        }
        if (partitionKey == null || partitionKey.isEmpty()) {
            throw new InvalidRecordException(label(id) + "a partition key is required (1 to "
                    + KinesisLimits.MAX_PARTITION_KEY_CHARS + " characters)");
        }
        int chars = partitionKey.codePointCount(0, partitionKey.length());
        if (chars > KinesisLimits.MAX_PARTITION_KEY_CHARS) {
            throw new InvalidRecordException(label(id) + "partition key " + quote(partitionKey) + " has " + chars
                    + " characters; Kinesis allows at most " + KinesisLimits.MAX_PARTITION_KEY_CHARS);
        }
        long keyBytes = partitionKey.getBytes(StandardCharsets.UTF_8).length;
        long size = data.asByteBuffer().remaining() + keyBytes;
        if (size > KinesisLimits.MAX_RECORD_BYTES) {
            throw new InvalidRecordException(label(id) + "record is " + size + " bytes (data " + (size - keyBytes)
                    + " + partition key " + keyBytes + "); Kinesis allows at most " + KinesisLimits.MAX_RECORD_BYTES
                    + " bytes (1 MiB) per record");
        }
        if (explicitHashKey != null && !isHashKey(explicitHashKey)) {
            throw new InvalidRecordException(label(id) + "explicit hash key " + quote(explicitHashKey)
                    + " is not a decimal number from 0 to 2^128-1");
        }
        if (id != null && (id.isEmpty() || id.chars().anyMatch(c -> c == '\t' || c == '\n' || c == '\r'))) {
            throw new InvalidRecordException("record id " + quote(id)
                    + " must be non-empty and free of tabs and line breaks (the written log is one tab-separated line per record)");
        }
        return (int) size;
    }

    private static boolean isHashKey(String text) {
        return DECIMAL.matcher(text).matches() && new BigInteger(text).compareTo(MAX_HASH_KEY) <= 0;
    }

    private static String label(String id) {
        return id == null ? "" : "record " + quote(id) + ": ";
    }

    /** Quotes user input, cut short when long, so that an error message stays one readable line. */
    static String quote(String text) {
        String shown = text.codePointCount(0, text.length()) <= QUOTE_LIMIT ? text
                : text.substring(0, text.offsetByCodePoints(0, QUOTE_LIMIT)) + "…";
        StringBuilder out = new StringBuilder("\"");
        shown.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }

    @Override
    public String toString() {
        return "OutgoingRecord{" + (id == null ? "" : "id=" + id + ", ") + "partitionKey=" + quote(partitionKey)
                + ", bytes=" + sizeInBytes + (explicitHashKey == null ? "" : ", explicitHashKey=" + explicitHashKey) + "}";
    }
}
