package io.streamwreck.ledger;

import io.streamwreck.core.RecordKey;

/**
 * Cuts the sequence numbers of one shard, taken in stream order, into what a lookup sends: the bucket
 * ({@code n >> shift}, as hex, only when it changes) and the field (the low {@code shift} bits). Not thread-safe;
 * one per shard per lookup.
 *
 * <p>This is the per-key cost of every lookup, so the usual case is kept to a few long operations: with a shift
 * below 128 (kinesis-local's numbers have 86; AWS's are denser), the field and the bucket comparison need only the
 * low 128 bits of the number. Consecutive numbers of a shard share their leading digits; the value of those digits
 * times 10^36 is computed once (as {@link SequenceBits.Parser} does), and per number only the last 36 digits are
 * read (two 18-digit longs) and added to it in 128-bit arithmetic. A wider shift takes {@link SequenceBits}'s word
 * arithmetic instead. Either way the results equal the {@link java.math.BigInteger} arithmetic exactly (a property
 * test compares them).
 */
final class BucketCutter {

    private static final int TAIL = 36;     // four runs of nine digits
    private static final long E18 = 1_000_000_000_000_000_000L;
    private static final String ZEROS = "0".repeat(TAIL);

    private final int shift;
    private final int width;
    /** Shifts of 128 and more: SequenceBits for everything. */
    private final SequenceBits.Parser wide;

    private String decimal;
    private boolean hasPrevious;

    // 128-bit path: the leading digits' value times 10^36 (its low 128 bits), and a version that stands for its
    // bits above those: they change only with the leading digits.
    private String prefixSource;
    private int prefixLength = -1;
    private long prefixLow;
    private long prefixHigh;
    private int prefixVersion;
    /** The current number's low 128 bits, and what lies above them (prefix version, carry out of the low bits). */
    private long low;
    private long high;
    private int upper;
    /** The previous number's bucket, as the same three parts, its low 128 bits shifted right. */
    private long previousLow;
    private long previousHigh;
    private int previousUpper;

    // Wide path.
    private SequenceBits bits;
    private SequenceBits previousBits;

    BucketCutter(int shift) {
        this.shift = shift;
        this.width = LedgerLayout.width(shift);
        this.wide = shift >= 128 ? new SequenceBits.Parser() : null;
    }

    /**
     * Takes the next number (canonical decimal, already validated).
     *
     * @return true when it is certainly in the previous number's bucket; false when it may not be (then ask
     *         {@link #bucketHex()})
     */
    boolean next(String decimal) {
        this.decimal = decimal;
        if (wide != null) {
            previousBits = bits;
            bits = wide.parse(decimal);
            boolean same = previousBits != null && bits.sameBucket(previousBits, shift);
            hasPrevious = true;
            return same;
        }
        int len = decimal.length();
        int p = Math.max(0, len - TAIL);
        if (p != prefixLength || !decimal.regionMatches(0, prefixSource, 0, p)) {
            readPrefix(decimal, p);
        }
        // The last (up to) 36 digits: hi * 10^18 + lo.
        long hi;
        long lo;
        if (len >= TAIL) {
            hi = nine(decimal, p) * 1_000_000_000L + nine(decimal, p + 9);
            lo = nine(decimal, p + 18) * 1_000_000_000L + nine(decimal, p + 27);
        } else {
            int split = Math.max(0, len - 18);
            hi = digits(decimal, 0, split);
            lo = digits(decimal, split, len);
        }
        long tailLow = hi * E18;
        long tailHigh = Math.multiplyHigh(hi, E18);     // hi < 10^18 and E18 < 2^63: both positive
        long sum = tailLow + lo;
        if (Long.compareUnsigned(sum, tailLow) < 0) {
            tailHigh++;
        }
        // + the prefix's low 128 bits; a carry out of them changes what lies above.
        long newLow = prefixLow + sum;
        long carry = Long.compareUnsigned(newLow, sum) < 0 ? 1 : 0;
        long newHigh = prefixHigh + tailHigh + carry;     // tailHigh < 2^56: overflows at most once
        boolean carriedOut = Long.compareUnsigned(newHigh, prefixHigh) < 0;
        low = newLow;
        high = newHigh;
        upper = prefixVersion * 2 + (carriedOut ? 1 : 0);
        long bucketLow;
        long bucketHigh;
        if (shift < 64) {
            bucketLow = shift == 0 ? low : (low >>> shift) | (high << (64 - shift));
            bucketHigh = shift == 0 ? high : high >>> shift;
        } else {
            bucketLow = high >>> (shift - 64);
            bucketHigh = 0;
        }
        boolean same = hasPrevious && bucketLow == previousLow && bucketHigh == previousHigh && upper == previousUpper;
        previousLow = bucketLow;
        previousHigh = bucketHigh;
        previousUpper = upper;
        hasPrevious = true;
        return same;
    }

    private void readPrefix(String decimal, int p) {
        prefixVersion++;
        prefixSource = decimal;
        prefixLength = p;
        if (p == 0) {
            prefixLow = 0;
            prefixHigh = 0;
            return;
        }
        SequenceBits prefix = SequenceBits.parse(decimal.substring(0, p) + ZEROS);
        prefixLow = prefix.word(0) & 0xFFFFFFFFL | (long) prefix.word(1) << 32;
        prefixHigh = prefix.word(2) & 0xFFFFFFFFL | (long) prefix.word(3) << 32;
    }

    /**
     * The nine decimal digits from {@code i}. Written out rather than as a loop: a loop's {@code v = v * 10 + d}
     * is one chain of dependent multiplications, while these products are independent and overlap in the CPU.
     */
    private static long nine(String s, int i) {
        return (s.charAt(i) - '0') * 100_000_000 + (s.charAt(i + 1) - '0') * 10_000_000 + (s.charAt(i + 2) - '0') * 1_000_000
                + (s.charAt(i + 3) - '0') * 100_000 + (s.charAt(i + 4) - '0') * 10_000 + (s.charAt(i + 5) - '0') * 1_000
                + (s.charAt(i + 6) - '0') * 100 + (s.charAt(i + 7) - '0') * 10 + (s.charAt(i + 8) - '0');
    }

    /** The decimal digits in {@code [from, to)}, at most 18, as a long. */
    private static long digits(String s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }

    /** The current number's bucket, {@code n >> shift} in lower-case hex as {@code BigInteger.toString(16)}. */
    String bucketHex() {
        return wide != null ? bits.bucketHex(shift) : SequenceBits.parse(decimal).bucketHex(shift);
    }

    /** The current number's field for {@code key} (whose sequence number it is): see {@link LedgerLayout#field}. */
    byte[] field(RecordKey key) {
        byte[] lowBits = wide != null ? bits.lowBytes(shift) : lowBytes();
        return LedgerLayout.withSubSequence(key, lowBits);
    }

    /** The low {@code shift} bits, big-endian, in exactly {@code width} bytes. */
    private byte[] lowBytes() {
        byte[] out = new byte[width];
        int lowBit = 0;
        for (int b = width - 1; b >= 0; b--, lowBit += 8) {
            out[b] = (byte) (lowBit < 64 ? low >>> lowBit : high >>> (lowBit - 64));
        }
        int spare = width * 8 - shift;
        if (spare > 0) {
            out[0] &= (byte) (0xFF >>> spare);
        }
        return out;
    }
}
