package io.streamwreck.ledger;

import io.streamwreck.core.RecordKey;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How the ledger lays records out in Redis. Pure functions, no I/O.
 *
 * <p>Per (stream, app, shard) — all sharing one hash tag, so one Lua script can update them atomically and
 * the layout works on a Redis Cluster:
 * <ul>
 *   <li>{@code sw:{tag}:m} — shard meta: {@code s}, the bucket shift chosen for this shard;</li>
 *   <li>{@code sw:{tag}:b:<hex>} — a hash per bucket of processed records: field = the low {@code s} bits of
 *       the sequence number as fixed-width binary (plus a varint sub-sequence number for KPL user records),
 *       value = how many times it was processed;</li>
 *   <li>{@code sw:{tag}:r:<hex>} — a sorted set per range bucket ({@code s + 2} bits) of the delivered ranges
 *       that fall inside it, merged, each member the fixed-width low bits of first and last;</li>
 *   <li>{@code sw:{tag}:n:<hex>} — the ids (64-bit hashes) of notices already recorded whose batch starts in
 *       that range bucket: what makes recording idempotent.</li>
 * </ul>
 * and per scope {@code sw:{stream|app}:shards}, the shards it has seen.
 *
 * <p>Why buckets: one key per record costs ~136 bytes; a small hash in listpack encoding with a binary field
 * costs ~15. A hash stays in listpack only up to 512 entries, and lookups inside it slow down as it grows,
 * so buckets aim at 32–64 records. Kinesis sequence numbers are not dense (consecutive records of a shard
 * differ by 2^80 in kinesis-local, and by a rate-dependent amount on AWS), so the bucket width is chosen per
 * shard from the density of the first batch that shows one: {@link #shiftFor}.
 */
public final class LedgerLayout {

    /** Used when a shard's first batch has a single record and so shows no density: 2^80 per record, 64 per bucket. */
    public static final int DEFAULT_SHIFT = 86;
    /** Buckets hold about 2^5–2^6 records at the density seen. */
    private static final int RECORDS_PER_BUCKET_BITS = 5;
    /** Range buckets are four record buckets wide. */
    static final int RANGE_EXTRA_BITS = 4;
    private static final int MIN_SHIFT = 8;
    private static final int MAX_SHIFT = 400;

    private LedgerLayout() {
    }

    /**
     * The bucket shift for a shard, from the density of a delivered batch: the mean gap between consecutive
     * sequence numbers, times 32–64.
     */
    public static int shiftFor(String first, String last, int received) {
        BigInteger lo = new BigInteger(first);
        BigInteger hi = new BigInteger(last);
        if (received < 2 || hi.compareTo(lo) <= 0) {
            return DEFAULT_SHIFT;
        }
        BigInteger gap = hi.subtract(lo).divide(BigInteger.valueOf(received - 1L));
        if (gap.signum() == 0) {
            return MIN_SHIFT;
        }
        return Math.max(MIN_SHIFT, Math.min(MAX_SHIFT, gap.bitLength() + RECORDS_PER_BUCKET_BITS));
    }

    /** The hash tag shared by every key of one shard: {@code {stream|app|shardId}}, braces escaped. */
    static String shardTag(Scope scope, String shardId) {
        return "{" + escape(scope.stream()) + "|" + escape(scope.app()) + "|" + shardId + "}";
    }

    /** Braces would end or start a hash tag early; '%' is escaped so the escaping is reversible. */
    private static String escape(String name) {
        if (name.indexOf('{') < 0 && name.indexOf('}') < 0 && name.indexOf('%') < 0 && name.indexOf('|') < 0) {
            return name;
        }
        return name.replace("%", "%25").replace("{", "%7B").replace("}", "%7D").replace("|", "%7C");
    }

    public static byte[] metaKey(Scope scope, String shardId) {
        return utf8("sw:" + shardTag(scope, shardId) + ":m");
    }

    public static byte[] shardsKey(Scope scope) {
        return utf8("sw:{" + escape(scope.stream()) + "|" + escape(scope.app()) + "}:shards");
    }

    static byte[] bucketKey(Scope scope, String shardId, BigInteger bucket) {
        return bucketKey(scope, shardId, bucket.toString(16));
    }

    static byte[] bucketKey(Scope scope, String shardId, String bucketHex) {
        return utf8(bucketKeyPrefix(scope, shardId) + bucketHex);
    }

    /** Every bucket key of a shard is this prefix plus the bucket number in hex. */
    static String bucketKeyPrefix(Scope scope, String shardId) {
        return "sw:" + shardTag(scope, shardId) + ":b:";
    }

    static byte[] rangeKey(Scope scope, String shardId, BigInteger rangeBucket) {
        return utf8("sw:" + shardTag(scope, shardId) + ":r:" + rangeBucket.toString(16));
    }

    /** Delivered ranges too wide to cut into range-bucket pieces: see {@link DeliveredRanges}. */
    static byte[] wideRangeKey(Scope scope, String shardId) {
        return utf8("sw:" + shardTag(scope, shardId) + ":w");
    }

    static byte[] noticesKey(Scope scope, String shardId, BigInteger rangeBucket) {
        return utf8("sw:" + shardTag(scope, shardId) + ":n:" + rangeBucket.toString(16));
    }

    /** Bytes needed for {@code bits} bits. */
    static int width(int bits) {
        return (bits + 7) / 8;
    }

    /** The low {@code bits} bits of {@code n}, big-endian, exactly {@link #width} bytes: byte order = numeric order. */
    static byte[] lowBits(BigInteger n, int bits) {
        int width = width(bits);
        byte[] raw = n.toByteArray();
        byte[] out = new byte[width];
        int copy = Math.min(width, raw.length);
        System.arraycopy(raw, raw.length - copy, out, width - copy, copy);
        int spare = width * 8 - bits;
        if (spare > 0) {
            out[0] &= (byte) (0xFF >>> spare);
        }
        return out;
    }

    /** The field of a processed record inside its bucket. */
    static byte[] field(RecordKey key, BigInteger sequence, int shift) {
        return field(key, SequenceBits.parse(sequence.toString()), shift);
    }

    static byte[] field(RecordKey key, SequenceBits sequence, int shift) {
        return withSubSequence(key, sequence.lowBytes(shift));
    }

    /** A field from the low bits of the key's sequence number: as they are, or followed by the sub-sequence number. */
    static byte[] withSubSequence(RecordKey key, byte[] low) {
        if (!key.hasSubSequenceNumber()) {
            return low;
        }
        // Plain records' fields are exactly width(shift) bytes; a longer field is a KPL user record.
        byte[] varint = varint(key.subSequenceNumber());
        byte[] out = Arrays.copyOf(low, low.length + varint.length);
        System.arraycopy(varint, 0, out, low.length, varint.length);
        return out;
    }

    private static byte[] varint(long value) {
        byte[] buffer = new byte[10];
        int n = 0;
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buffer[n++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[n++] = (byte) v;
        return Arrays.copyOf(buffer, n);
    }

    /** 64-bit FNV-1a of a notice id, as the decimal text Redis keeps compactly in an intset. */
    static String noticeIdHash(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xFF);
            h *= 0x100000001b3L;
        }
        return Long.toString(h);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
