package io.streamwreck.core.notice;

import io.streamwreck.core.RecordKey;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The dense form of a notice's processed keys (notice version 2, field {@code "keys"}): why it exists is SNS
 * cost — a PublishBatch call carries at most 256 KiB, and 56-digit decimals in JSON would need ~230 calls per
 * million records, where the processor issue allows 50.
 *
 * <p>Layout before compression, per key in notice order: the difference to the previous key's sequence number
 * (the first key's difference is to {@code batch.first}) as a length-prefixed two's-complement big-endian
 * integer, then the sub-sequence number plus one as an unsigned varint (0 = a plain record). Consecutive
 * sequence numbers of a shard differ by similar amounts, so the deltas repeat and DEFLATE shrinks them to a few
 * bytes per key. The whole is zlib (DEFLATE) then base64.
 */
public final class CompactKeys {

    /** A sequence number of 129 digits needs 54 bytes; a delta one more for its sign. */
    private static final int MAX_DELTA_BYTES = 55;
    /** The fewest raw bytes a key takes: a length byte, one delta byte, one sub-sequence byte. */
    private static final int MIN_KEY_BYTES = 3;
    /** No notice of 256 KiB needs more: a bound whatever {@code count} claims, so a crafted notice cannot exhaust memory. */
    private static final long MAX_RAW_BYTES = 64L << 20;

    private CompactKeys() {
    }

    /** Encodes {@code keys} (all of one shard) relative to {@code base}, the batch's first sequence number. */
    public static String encode(String base, List<RecordKey> keys) {
        if (keys.isEmpty()) {
            return "";
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream(keys.size() * 14 + 16);
        BigInteger previous = new BigInteger(base);
        for (RecordKey key : keys) {
            BigInteger current = new BigInteger(key.sequenceNumber());
            byte[] delta = current.subtract(previous).toByteArray();
            writeVarint(raw, delta.length);
            raw.write(delta, 0, delta.length);
            writeVarint(raw, key.hasSubSequenceNumber() ? key.subSequenceNumber() + 1 : 0);
            previous = current;
        }
        byte[] input = raw.toByteArray();
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(input);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, input.length / 4));
            byte[] chunk = new byte[8192];
            while (!deflater.finished()) {
                int n = deflater.deflate(chunk);
                out.write(chunk, 0, n);
            }
            return Base64.getEncoder().encodeToString(out.toByteArray());
        } finally {
            deflater.end();
        }
    }

    /**
     * Decodes {@code count} keys of {@code shardId}.
     *
     * @throws NoticeFormatException when the text is not base64, not DEFLATE, or does not hold exactly
     *                               {@code count} well-formed keys
     */
    public static List<RecordKey> decode(String shardId, String base, String encoded, int count) {
        if (count == 0 && encoded.isEmpty()) {
            return List.of();
        }
        byte[] compressed;
        try {
            compressed = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new NoticeFormatException("field \"keys\" is not base64: " + e.getMessage(), e);
        }
        // Bounded inflation: a notice can never need more than this, so a crafted one cannot exhaust memory.
        byte[] raw = inflate(compressed, Math.min(MAX_RAW_BYTES, count * (long) (MAX_DELTA_BYTES + 11)));
        if (count > raw.length / MIN_KEY_BYTES) {
            throw new NoticeFormatException("field \"keys\" is too short for the " + count + " keys \"count\" announces");
        }
        List<RecordKey> keys = new ArrayList<>(count);
        BigInteger previous = new BigInteger(base);
        int[] at = {0};
        for (int i = 0; i < count; i++) {
            long length = readVarint(raw, at, i);
            if (length < 1 || length > MAX_DELTA_BYTES || at[0] + length > raw.length) {
                throw new NoticeFormatException("field \"keys\": key " + i + " has a malformed delta");
            }
            byte[] delta = new byte[(int) length];
            System.arraycopy(raw, at[0], delta, 0, delta.length);
            at[0] += delta.length;
            previous = previous.add(new BigInteger(delta));
            long sub = readVarint(raw, at, i);
            if (previous.signum() < 0) {
                throw new NoticeFormatException("field \"keys\": key " + i + " has a negative sequence number");
            }
            String sequence = previous.toString();
            try {
                keys.add(sub == 0 ? RecordKey.of(shardId, sequence) : RecordKey.of(shardId, sequence, sub - 1));
            } catch (IllegalArgumentException e) {
                throw new NoticeFormatException("field \"keys\": key " + i + ": " + e.getMessage(), e);
            }
        }
        if (at[0] != raw.length) {
            throw new NoticeFormatException("field \"keys\" holds more than the " + count + " keys \"count\" announces");
        }
        return keys;
    }

    private static byte[] inflate(byte[] compressed, long limit) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 4);
            byte[] chunk = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new NoticeFormatException("field \"keys\" is truncated");
                }
                out.write(chunk, 0, n);
                if (out.size() > limit) {
                    throw new NoticeFormatException("field \"keys\" holds more data than \"count\" keys can need");
                }
            }
            if (inflater.getRemaining() > 0) {
                throw new NoticeFormatException("field \"keys\" has bytes after its compressed data");
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new NoticeFormatException("field \"keys\" is not DEFLATE data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static long readVarint(byte[] in, int[] at, int keyIndex) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at[0] >= in.length) {
                throw new NoticeFormatException("field \"keys\" ends inside key " + keyIndex);
            }
            byte b = in[at[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new NoticeFormatException("field \"keys\": key " + keyIndex + " has a malformed number");
    }
}
