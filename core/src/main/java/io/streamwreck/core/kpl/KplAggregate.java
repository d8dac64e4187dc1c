package io.streamwreck.core.kpl;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Kinesis Producer Library's aggregated record format: many user records in one Kinesis record.
 *
 * <pre>
 *   F3 89 9A C2 | protobuf AggregatedRecord | MD5 of the protobuf bytes (16 bytes)
 *
 *   message AggregatedRecord { repeated string partition_key_table = 1; repeated string explicit_hash_key_table = 2;
 *                              repeated Record records = 3; }
 *   message Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
 *                    required bytes data = 3; repeated Tag tags = 4; }
 * </pre>
 *
 * The n-th user record (from 0) has sub-sequence number n, so its key is {@code shardId:seq:n} (DESIGN.md
 * "Record keys").
 *
 * <p>Which records count as aggregated follows KCL: a record that lacks the magic, is too short, or whose
 * MD5 does not match is a plain record (producers that never used the KPL may write anything). A record that
 * passes both checks but whose protobuf does not parse — or names a partition key or explicit hash key that
 * its tables lack — is also treated as a plain record here; KCL treats an unparsable one the same way (and
 * fails on a bad table index, which a checker must not do). With a matching MD5 none of this happens in
 * practice.
 */
public final class KplAggregate {

    private static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    private static final int DIGEST_BYTES = 16;

    private static final int PARTITION_KEY_TABLE = 1;
    private static final int EXPLICIT_HASH_KEY_TABLE = 2;
    private static final int RECORDS = 3;
    private static final int PARTITION_KEY_INDEX = 1;
    private static final int EXPLICIT_HASH_KEY_INDEX = 2;
    private static final int DATA = 3;

    private KplAggregate() {
    }

    /** The four bytes every aggregated record starts with. */
    public static byte[] magic() {
        return MAGIC.clone();
    }

    /**
     * Packs user records into one aggregated record, as the KPL does: partition keys and explicit hash keys
     * are written once each, in a table, and referred to by index.
     *
     * @throws IllegalArgumentException when {@code userRecords} is empty (the KPL never writes an empty aggregate)
     */
    public static byte[] encode(List<KplUserRecord> userRecords) {
        Objects.requireNonNull(userRecords, "userRecords");
        if (userRecords.isEmpty()) {
            throw new IllegalArgumentException("an aggregated record holds at least one user record");
        }
        Map<String, Integer> partitionKeys = new LinkedHashMap<>();
        Map<String, Integer> hashKeys = new LinkedHashMap<>();
        int dataBytes = 0;
        for (KplUserRecord r : userRecords) {
            partitionKeys.putIfAbsent(r.partitionKey(), partitionKeys.size());
            if (r.explicitHashKey() != null) {
                hashKeys.putIfAbsent(r.explicitHashKey(), hashKeys.size());
            }
            dataBytes += r.data().length;
        }
        ProtobufWire.Writer message = new ProtobufWire.Writer(dataBytes + 16 * userRecords.size() + 64);
        partitionKeys.keySet().forEach(k -> message.stringField(PARTITION_KEY_TABLE, k));
        hashKeys.keySet().forEach(k -> message.stringField(EXPLICIT_HASH_KEY_TABLE, k));
        for (KplUserRecord r : userRecords) {
            ProtobufWire.Writer record = new ProtobufWire.Writer(r.data().length + 16);
            record.varintField(PARTITION_KEY_INDEX, partitionKeys.get(r.partitionKey()));
            if (r.explicitHashKey() != null) {
                record.varintField(EXPLICIT_HASH_KEY_INDEX, hashKeys.get(r.explicitHashKey()));
            }
            record.bytesField(DATA, r.data());
            message.bytesField(RECORDS, record.toByteArray());
        }
        byte[] protobuf = message.toByteArray();
        return new ProtobufWire.Writer(MAGIC.length + protobuf.length + DIGEST_BYTES)
                .raw(MAGIC).raw(protobuf).raw(md5(protobuf, 0, protobuf.length)).toByteArray();
    }

    /** Packs payloads that share one partition key (the usual KPL case: records of one key, in order). */
    public static byte[] encode(String partitionKey, List<byte[]> data) {
        List<KplUserRecord> records = new ArrayList<>(data.size());
        for (byte[] d : data) {
            records.add(KplUserRecord.of(partitionKey, d));
        }
        return encode(records);
    }

    /**
     * The user records of an aggregated record, in order (index = sub-sequence number), or empty when
     * {@code record} is a plain record (see the class comment for what counts as one).
     */
    public static Optional<List<KplUserRecord>> decode(byte[] record) {
        try {
            return Optional.ofNullable(parse(record, true));
        } catch (ProtobufWire.MalformedException e) {
            return Optional.empty();
        }
    }

    /**
     * How many user records an aggregated record holds, or -1 for a plain record: {@link #decode} without
     * copying any payload, for readers that only need the keys.
     */
    public static int userRecordCount(byte[] record) {
        try {
            List<KplUserRecord> parsed = parse(record, false);
            return parsed == null ? -1 : parsed.size();
        } catch (ProtobufWire.MalformedException e) {
            return -1;
        }
    }

    /** Whether the record starts with the magic and is long enough to be an aggregate (its MD5 not checked yet). */
    public static boolean hasMagic(byte[] record) {
        if (record == null || record.length <= MAGIC.length + DIGEST_BYTES) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (record[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** null when plain; with {@code keepData} false the user records carry empty payloads. */
    private static List<KplUserRecord> parse(byte[] record, boolean keepData) throws ProtobufWire.MalformedException {
        if (!hasMagic(record)) {
            return null;
        }
        int from = MAGIC.length;
        int to = record.length - DIGEST_BYTES;
        byte[] digest = md5(record, from, to - from);
        if (!Arrays.equals(digest, 0, DIGEST_BYTES, record, to, record.length)) {
            return null;
        }
        List<String> partitionKeys = new ArrayList<>();
        List<String> hashKeys = new ArrayList<>();
        List<ProtobufWire.Reader> records = new ArrayList<>();
        ProtobufWire.Reader message = new ProtobufWire.Reader(record, from, to);
        while (!message.done()) {
            int tag = message.tag();
            int field = tag >>> 3;
            int wireType = tag & 7;
            if (field == PARTITION_KEY_TABLE && wireType == ProtobufWire.LENGTH_DELIMITED) {
                partitionKeys.add(message.stringField());
            } else if (field == EXPLICIT_HASH_KEY_TABLE && wireType == ProtobufWire.LENGTH_DELIMITED) {
                hashKeys.add(message.stringField());
            } else if (field == RECORDS && wireType == ProtobufWire.LENGTH_DELIMITED) {
                // The tables may follow the records on the wire: resolve indexes once everything is read.
                records.add(message.nested());
            } else {
                message.skip(wireType);
            }
        }
        List<KplUserRecord> out = new ArrayList<>(records.size());
        for (ProtobufWire.Reader r : records) {
            out.add(userRecord(r, partitionKeys, hashKeys, keepData));
        }
        return Collections.unmodifiableList(out);
    }

    private static final byte[] NO_DATA = new byte[0];

    private static KplUserRecord userRecord(ProtobufWire.Reader r, List<String> partitionKeys, List<String> hashKeys,
                                            boolean keepData) throws ProtobufWire.MalformedException {
        long partitionKeyIndex = -1;
        long hashKeyIndex = 0;
        boolean hasHashKey = false;
        byte[] data = null;
        while (!r.done()) {
            int tag = r.tag();
            int field = tag >>> 3;
            int wireType = tag & 7;
            if (field == PARTITION_KEY_INDEX && wireType == ProtobufWire.VARINT) {
                partitionKeyIndex = r.varint();
            } else if (field == EXPLICIT_HASH_KEY_INDEX && wireType == ProtobufWire.VARINT) {
                hashKeyIndex = r.varint();
                hasHashKey = true;
            } else if (field == DATA && wireType == ProtobufWire.LENGTH_DELIMITED) {
                if (keepData) {
                    data = r.bytesField();
                } else {
                    r.nested();
                    data = NO_DATA;
                }
            } else {
                r.skip(wireType);
            }
        }
        // Both are required fields in the .proto; an index must point into its table.
        // (Indexes are unsigned on the wire: one past 2^63 reads as negative here and is refused too.)
        if (data == null || partitionKeyIndex < 0 || partitionKeyIndex >= partitionKeys.size()
                || hasHashKey && (hashKeyIndex < 0 || hashKeyIndex >= hashKeys.size())) {
            throw new ProtobufWire.MalformedException("a user record lacks a required field or has a bad table index");
        }
        return new KplUserRecord(partitionKeys.get((int) partitionKeyIndex),
                hasHashKey ? hashKeys.get((int) hashKeyIndex) : null, data);
    }

    private static byte[] md5(byte[] bytes, int from, int length) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(bytes, from, length);
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides MD5", e);
        }
    }
}
