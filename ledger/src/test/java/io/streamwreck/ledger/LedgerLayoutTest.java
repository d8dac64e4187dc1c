package io.streamwreck.ledger;

import io.streamwreck.local.standin.KinesisLocalSequenceNumbers;

import io.streamwreck.core.RecordKey;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerLayoutTest {

    private final KinesisLocalSequenceNumbers shard = new KinesisLocalSequenceNumbers(Instant.parse("2026-11-21T10:00:00Z"), 1);

    @Test
    void theBucketWidthFollowsTheDensityOfTheFirstBatch() {
        // kinesis-local: consecutive records 2^80 apart → buckets of 2^86, 64 records.
        assertThat(LedgerLayout.shiftFor(shard.record(0, 10), shard.record(9, 10), 10)).isEqualTo(86);
        assertThat(LedgerLayout.shiftFor(shard.record(0, 1000), shard.record(999, 1000), 1000)).isEqualTo(86);
        // Sparser numbers (AWS at low rates) → wider buckets; one record → the default.
        BigInteger first = new BigInteger(shard.record(0, 10));
        String far = first.add(BigInteger.ONE.shiftLeft(90).multiply(BigInteger.valueOf(9))).toString();
        assertThat(LedgerLayout.shiftFor(first.toString(), far, 10)).isEqualTo(96);
        assertThat(LedgerLayout.shiftFor(first.toString(), first.toString(), 1)).isEqualTo(LedgerLayout.DEFAULT_SHIFT);
        // Dense numbers (all records of one aggregated record share one) never give an empty shift.
        assertThat(LedgerLayout.shiftFor("100", "100", 50)).isEqualTo(LedgerLayout.DEFAULT_SHIFT);
        assertThat(LedgerLayout.shiftFor("100", "104", 50)).isEqualTo(8);
    }

    @Test
    void lowBitsAreFixedWidthBigEndianSoByteOrderIsNumericOrder() {
        BigInteger n = new BigInteger("123456789012345678901234567890");
        byte[] low = LedgerLayout.lowBits(n, 86);
        assertThat(low).hasSize(11);
        assertThat(new BigInteger(1, low)).isEqualTo(n.mod(BigInteger.ONE.shiftLeft(86)));
        assertThat(LedgerLayout.lowBits(BigInteger.ONE, 86)).hasSize(11).startsWith(0, 0, 0);
        assertThat(java.util.Arrays.compareUnsigned(LedgerLayout.lowBits(BigInteger.valueOf(255), 16),
                LedgerLayout.lowBits(BigInteger.valueOf(256), 16))).isNegative();
    }

    @Test
    void fieldsAreDistinctForPlainAndUserRecordsOfOneBucket() {
        Set<String> fields = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            String seq = shard.record(i, 100);
            BigInteger n = new BigInteger(seq);
            fields.add(java.util.HexFormat.of().formatHex(LedgerLayout.field(RecordKey.of(shard.shardId(), seq), n, 86)));
            for (long sub : List.of(0L, 1L, 300L, Long.MAX_VALUE)) {
                fields.add(java.util.HexFormat.of().formatHex(LedgerLayout.field(RecordKey.of(shard.shardId(), seq, sub), n, 86)));
            }
        }
        assertThat(fields).hasSize(64 * 5);
    }

    @Test
    void batchesAreCutAtRangeBucketBoundariesUnlessTheySpanTooMany() {
        int rangeBits = DeliveredRanges.rangeShift(86);
        long perRangeBucket = 1L << (rangeBits - 80);       // records 2^80 apart
        BigInteger first = new BigInteger(shard.record(0, 100));
        BigInteger last = new BigInteger(shard.record(10 * perRangeBucket - 1, 100));
        List<DeliveredRanges.Piece> pieces = DeliveredRanges.pieces(first, last, 86);
        // Ten range buckets' worth of records: ten or eleven pieces, depending on where the first one starts.
        assertThat(pieces).hasSizeBetween(10, 11).noneMatch(DeliveredRanges.Piece::wide);
        assertThat(DeliveredRanges.contains(List.of(concat(pieces.get(0))), LedgerLayout.lowBits(first, rangeBits))).isTrue();

        BigInteger far = new BigInteger(shard.record(perRangeBucket * (DeliveredRanges.MAX_PIECES + 1), 100));
        assertThat(DeliveredRanges.pieces(first, far, 86)).singleElement().matches(DeliveredRanges.Piece::wide);
    }

    @Test
    void hashTagsKeepAShardTogetherAndEscapeBraces() {
        Scope scope = new Scope("orders", "bill{ing}");
        String meta = new String(LedgerLayout.metaKey(scope, "shardId-000000000001"));
        String bucket = new String(LedgerLayout.bucketKey(scope, "shardId-000000000001", BigInteger.TEN));
        assertThat(meta).isEqualTo("sw:{orders|bill%7Bing%7D|shardId-000000000001}:m");
        assertThat(bucket).isEqualTo("sw:{orders|bill%7Bing%7D|shardId-000000000001}:b:a");
    }

    private static byte[] concat(DeliveredRanges.Piece p) {
        byte[] out = java.util.Arrays.copyOf(p.first(), p.first().length * 2);
        System.arraycopy(p.last(), 0, out, p.first().length, p.last().length);
        return out;
    }
}
