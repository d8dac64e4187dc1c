package io.streamwreck.ledger;

/**
 * A decimal sequence number as a little-endian array of 32-bit words, and the two things the ledger cuts out
 * of it: the bucket ({@code n >> shift}, as hex) and the low {@code shift} bits (as fixed-width bytes).
 *
 * <p>This is the hot path of every lookup: a checker asks about tens of thousands of keys per call, and
 * {@link java.math.BigInteger} parsing, shifting and byte conversion cost more client time per key than Redis
 * spends answering for it. The results equal the {@code BigInteger} arithmetic exactly (a property test
 * compares them).
 */
final class SequenceBits {

    private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final int[] words;
    private final int used;

    private SequenceBits(int[] words, int used) {
        this.words = words;
        this.used = used;
    }

    /** Parses a canonical sequence number (decimal digits only, already validated). */
    static SequenceBits parse(String decimal) {
        int len = decimal.length();
        // log2(10) < 3.33: bits needed, in 32-bit words, plus one spare.
        int[] words = new int[(len * 333 / 100) / 32 + 2];
        int used = 0;
        int pos = 0;
        int step = len % 9 == 0 ? 9 : len % 9;
        while (pos < len) {
            int end = pos + step;
            int chunk = 0;
            for (int i = pos; i < end; i++) {
                chunk = chunk * 10 + (decimal.charAt(i) - '0');
            }
            long multiplier = POW10[end - pos];
            long carry = chunk;
            for (int i = 0; i < used; i++) {
                long v = (words[i] & 0xFFFFFFFFL) * multiplier + carry;
                words[i] = (int) v;
                carry = v >>> 32;
            }
            if (carry != 0) {
                words[used++] = (int) carry;
            }
            pos = end;
            step = 9;
        }
        return new SequenceBits(words, used);
    }

    /**
     * Parses a run of sequence numbers that mostly share their leading digits, as the keys of one shard do:
     * the value of the leading digits is computed once and reused, and only the last 36 digits are parsed
     * per number (two 18-digit longs). Equal results to {@link SequenceBits#parse}; not thread-safe.
     */
    static final class Parser {
        private static final int TAIL = 36;
        private static final long E18 = 1_000_000_000_000_000_000L;
        private static final String ZEROS = "0".repeat(TAIL);

        private String prefixSource;
        private int prefixLength = -1;
        private int[] prefixWords;
        private int prefixUsed;

        SequenceBits parse(String decimal) {
            int len = decimal.length();
            int p = len - TAIL;
            if (p <= 0) {
                return SequenceBits.parse(decimal);
            }
            if (p != prefixLength || !decimal.regionMatches(0, prefixSource, 0, p)) {
                SequenceBits prefix = SequenceBits.parse(decimal.substring(0, p) + ZEROS);
                prefixWords = prefix.words;
                prefixUsed = prefix.used;
                prefixSource = decimal;
                prefixLength = p;
            }
            long hi = digits(decimal, p);
            long lo = digits(decimal, p + 18);
            // tail = hi * 10^18 + lo, as 128 bits
            long low = hi * E18;
            long high = Math.multiplyHigh(hi, E18);
            long sum = low + lo;
            if (Long.compareUnsigned(sum, low) < 0) {
                high++;
            }
            int[] words = java.util.Arrays.copyOf(prefixWords, Math.max(prefixWords.length, 5));
            long carry = 0;
            long[] tail = {sum & 0xFFFFFFFFL, sum >>> 32, high & 0xFFFFFFFFL, high >>> 32};
            int i = 0;
            for (; i < words.length && (i < 4 || carry != 0); i++) {
                long v = (words[i] & 0xFFFFFFFFL) + (i < 4 ? tail[i] : 0) + carry;
                words[i] = (int) v;
                carry = v >>> 32;
            }
            int used = words.length;
            while (used > 0 && words[used - 1] == 0) {
                used--;
            }
            return new SequenceBits(words, used);
        }

        private static long digits(String s, int from) {
            long v = 0;
            for (int i = from; i < from + 18; i++) {
                v = v * 10 + (s.charAt(i) - '0');
            }
            return v;
        }
    }

    private int bit(int index) {
        int w = index >>> 5;
        return w < used ? (words[w] >>> (index & 31)) & 1 : 0;
    }

    private int bitLength() {
        if (used == 0) {
            return 0;
        }
        return (used - 1) * 32 + (32 - Integer.numberOfLeadingZeros(words[used - 1]));
    }

    /** {@code n >> shift} in lower-case hex without leading zeros ("0" when zero), as {@code BigInteger.toString(16)}. */
    String bucketHex(int shift) {
        int bits = bitLength() - shift;
        if (bits <= 0) {
            return "0";
        }
        int digits = (bits + 3) / 4;
        char[] out = new char[digits];
        for (int d = 0; d < digits; d++) {
            int lowBit = shift + (digits - 1 - d) * 4;
            int nibble = nibble(lowBit);
            out[d] = HEX[nibble];
        }
        return new String(out);
    }

    /** The 4 bits starting at {@code lowBit}. */
    private int nibble(int lowBit) {
        int w = lowBit >>> 5;
        int off = lowBit & 31;
        long window = (w < used ? words[w] & 0xFFFFFFFFL : 0) | ((w + 1 < used ? words[w + 1] & 0xFFFFFFFFL : 0) << 32);
        return (int) ((window >>> off) & 0xF);
    }

    /** The low {@code bits} bits, big-endian, in exactly {@code ceil(bits / 8)} bytes. */
    byte[] lowBytes(int bits) {
        int width = (bits + 7) / 8;
        byte[] out = new byte[width];
        for (int b = 0; b < width; b++) {
            int lowBit = (width - 1 - b) * 8;
            int w = lowBit >>> 5;
            int value = w < used ? (words[w] >>> (lowBit & 31)) & 0xFF : 0;
            int keep = Math.min(8, bits - lowBit);
            out[b] = (byte) (value & ((1 << keep) - 1));
        }
        return out;
    }

    /** Whether {@code this >> shift == other >> shift}, without building either: consecutive keys mostly share a bucket. */
    boolean sameBucket(SequenceBits other, int shift) {
        int top = Math.max(used, other.used);
        int low = shift >>> 5;
        for (int w = top - 1; w > low; w--) {
            if (word(w) != other.word(w)) {
                return false;
            }
        }
        int mask = (shift & 31) == 0 ? -1 : -1 << (shift & 31);
        return (word(low) & mask) == (other.word(low) & mask);
    }

    int word(int w) {
        return w < used ? words[w] : 0;
    }

    /** Whether bit {@code index} is set; for tests. */
    boolean testBit(int index) {
        return bit(index) == 1;
    }
}
