package io.streamwreck.publish;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.DeliveredBatch;
import io.streamwreck.core.notice.Notice;
import io.streamwreck.core.notice.NoticeCodec;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class NoticeFactoryTest {

    private static final String SHARD = "shardId-000000000002";
    private static final BigInteger FIRST = new BigInteger("49591585917767627211020937568791696204996217827017883650");
    private final NoticeCodec codec = new NoticeCodec();
    private final AtomicInteger ids = new AtomicInteger();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void aFullKclBatchFitsOneCompactNotice() {
        List<RecordKey> keys = keys(10_000, new Random(1), 1 << 20);
        NoticeFactory factory = new NoticeFactory("orders", "billing", "w-1", codec, NoticeFactory.DEFAULT_MAX_BYTES, this::id, clock);

        List<OutgoingNotice> notices = factory.forBatch(SHARD, batch(keys), keys);

        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.notice().version()).isEqualTo(Notice.COMPACT_VERSION);
            assertThat(codec.decode(n.json()).processed()).containsExactlyElementsOf(keys);
            assertThat(n.bytes()).isLessThan(NoticeFactory.DEFAULT_MAX_BYTES);
        });
    }

    @Test
    void keysThatDoNotFitAreSplitIntoNoticesThatEachCarryTheBatch() {
        // Random gaps defeat compression: 2,000 keys need several 4 KiB notices.
        List<RecordKey> keys = keys(2_000, new Random(7), Long.MAX_VALUE);
        NoticeFactory factory = new NoticeFactory("orders", "billing", "w-1", codec, 4096, this::id, clock);
        DeliveredBatch batch = batch(keys);

        List<OutgoingNotice> notices = factory.forBatch(SHARD, batch, keys);

        assertThat(notices).hasSizeGreaterThan(1);
        List<RecordKey> back = new ArrayList<>();
        for (OutgoingNotice n : notices) {
            assertThat(n.bytes()).isLessThanOrEqualTo(4096);
            Notice decoded = codec.decode(n.json());
            assertThat(decoded.batch()).isEqualTo(batch);
            back.addAll(decoded.processed());
        }
        assertThat(back).containsExactlyElementsOf(keys);
        assertThat(new HashSet<>(notices.stream().map(n -> n.notice().id()).toList())).hasSameSizeAs(notices);
    }

    @Test
    void aBatchWithNothingProcessedStillReportsItsDeliveredRange() {
        NoticeFactory factory = new NoticeFactory("orders", "billing", "w-1", codec, 4096, this::id, clock);
        DeliveredBatch batch = new DeliveredBatch(FIRST.toString(), FIRST.add(BigInteger.TEN).toString(), 3);

        List<OutgoingNotice> notices = factory.forBatch(SHARD, batch, List.of());

        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(codec.decode(n.json()).processed()).isEmpty();
            assertThat(codec.decode(n.json()).batch()).isEqualTo(batch);
        });
    }

    private String id() {
        return "notice-" + ids.incrementAndGet();
    }

    private static DeliveredBatch batch(List<RecordKey> keys) {
        return new DeliveredBatch(keys.get(0).sequenceNumber(), keys.get(keys.size() - 1).sequenceNumber(), keys.size());
    }

    private static List<RecordKey> keys(int n, Random random, long maxGap) {
        List<RecordKey> keys = new ArrayList<>(n);
        BigInteger seq = FIRST;
        for (int i = 0; i < n; i++) {
            keys.add(RecordKey.of(SHARD, seq.toString()));
            seq = seq.add(BigInteger.valueOf(1 + Math.floorMod(random.nextLong(), maxGap)).shiftLeft(64));
        }
        return keys;
    }
}
