package io.streamwreck.ledger;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.Notice;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The KEYS and ARGV of one run of record-notice.lua for a notice, laid out with a given bucket shift. */
record RecordCall(byte[][] keys, byte[][] args) {

    static RecordCall of(Scope scope, Notice notice, int shift, long ttlSeconds) {
        String shard = notice.shardId();
        BigInteger first = new BigInteger(notice.batch().first());
        BigInteger last = new BigInteger(notice.batch().last());
        int rangeBits = DeliveredRanges.rangeShift(shift);

        Map<String, List<byte[]>> buckets = new LinkedHashMap<>();
        for (RecordKey key : notice.processed()) {
            SequenceBits sequence = SequenceBits.parse(key.sequenceNumber());
            buckets.computeIfAbsent(sequence.bucketHex(shift), b -> new ArrayList<>())
                    .add(LedgerLayout.field(key, sequence, shift));
        }
        List<DeliveredRanges.Piece> pieces = DeliveredRanges.pieces(first, last, shift);

        List<byte[]> keys = new ArrayList<>(2 + pieces.size() + buckets.size());
        keys.add(LedgerLayout.metaKey(scope, shard));
        keys.add(LedgerLayout.noticesKey(scope, shard, first.shiftRight(rangeBits)));
        for (DeliveredRanges.Piece piece : pieces) {
            keys.add(piece.wide() ? LedgerLayout.wideRangeKey(scope, shard) : LedgerLayout.rangeKey(scope, shard, piece.rangeBucket()));
        }
        String bucketPrefix = LedgerLayout.bucketKeyPrefix(scope, shard);
        for (String bucket : buckets.keySet()) {
            keys.add(LedgerLayout.utf8(bucketPrefix + bucket));
        }

        List<byte[]> args = new ArrayList<>(5 + 2 * pieces.size() + buckets.size() + notice.processed().size());
        args.add(ascii(Integer.toString(shift)));
        args.add(ascii(LedgerLayout.noticeIdHash(notice.id())));
        args.add(ascii(Long.toString(ttlSeconds)));
        args.add(ascii(Integer.toString(pieces.size())));
        args.add(ascii(Integer.toString(buckets.size())));
        for (DeliveredRanges.Piece piece : pieces) {
            args.add(piece.first());
            args.add(piece.last());
        }
        for (List<byte[]> fields : buckets.values()) {
            args.add(ascii(Integer.toString(fields.size())));
            args.addAll(fields);
        }
        return new RecordCall(keys.toArray(byte[][]::new), args.toArray(byte[][]::new));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
