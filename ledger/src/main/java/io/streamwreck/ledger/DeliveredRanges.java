package io.streamwreck.ledger;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a delivered batch [first, last] is stored: cut at range-bucket boundaries into pieces that each live in
 * the range bucket they cover (small sorted sets, cheap to read next to the processed buckets), or — when the
 * batch spans more than {@link #MAX_PIECES} range buckets, which happens only on sparse traffic — kept whole in
 * the shard's wide-range set, so a long quiet gap never turns into millions of pieces.
 */
final class DeliveredRanges {

    static final int MAX_PIECES = 64;
    /** Fixed width of sequence numbers in the wide-range set: 129 decimal digits fit in 54 bytes. */
    static final int WIDE_WIDTH = 54;

    /** One stored range: the key's range bucket (null for the wide set) and the bounds as fixed-width binary. */
    record Piece(BigInteger rangeBucket, byte[] first, byte[] last) {
        boolean wide() {
            return rangeBucket == null;
        }
    }

    private DeliveredRanges() {
    }

    static int rangeShift(int shift) {
        return shift + LedgerLayout.RANGE_EXTRA_BITS;
    }

    static List<Piece> pieces(BigInteger first, BigInteger last, int shift) {
        int bits = rangeShift(shift);
        BigInteger from = first.shiftRight(bits);
        BigInteger to = last.shiftRight(bits);
        if (to.subtract(from).compareTo(BigInteger.valueOf(MAX_PIECES)) >= 0) {
            return List.of(new Piece(null, wide(first), wide(last)));
        }
        List<Piece> pieces = new ArrayList<>();
        byte[] min = new byte[LedgerLayout.width(bits)];
        byte[] max = LedgerLayout.lowBits(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE), bits);
        for (BigInteger rb = from; rb.compareTo(to) <= 0; rb = rb.add(BigInteger.ONE)) {
            byte[] lo = rb.equals(from) ? LedgerLayout.lowBits(first, bits) : min;
            byte[] hi = rb.equals(to) ? LedgerLayout.lowBits(last, bits) : max;
            pieces.add(new Piece(rb, lo, hi));
        }
        return pieces;
    }

    static byte[] wide(BigInteger n) {
        return LedgerLayout.lowBits(n, WIDE_WIDTH * 8);
    }

    /** Whether {@code value} (same width as the members' halves) lies inside one of the stored ranges. */
    static boolean contains(List<byte[]> members, byte[] value) {
        int w = value.length;
        for (byte[] m : members) {
            if (m.length != 2 * w) {
                continue;
            }
            if (Arrays.compareUnsigned(m, 0, w, value, 0, w) <= 0 && Arrays.compareUnsigned(m, w, 2 * w, value, 0, w) >= 0) {
                return true;
            }
        }
        return false;
    }
}
