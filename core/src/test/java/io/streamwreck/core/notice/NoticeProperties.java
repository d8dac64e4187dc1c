package io.streamwreck.core.notice;

import io.streamwreck.core.KeyArbitraries;
import io.streamwreck.core.RecordKey;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class NoticeProperties {

    private final NoticeCodec codec = new NoticeCodec();

    // ---- codec -----------------------------------------------------------------------------------------

    @Property(tries = 300)
    void decodeReadsBackWhatEncodeWrites(@ForAll("notices") Notice notice) {
        String encoded = codec.encode(notice);

        assertThat(codec.decode(encoded)).isEqualTo(notice);
    }

    /** Version 2 carries the same keys, whatever their order, sub-sequence numbers or distance to batch.first. */
    @Property(tries = 300)
    void compactNoticesReadBackExactly(@ForAll("notices") Notice v1) {
        Notice notice = new Notice(Notice.COMPACT_VERSION, v1.id(), v1.stream(), v1.app(), v1.shardId(), v1.worker(),
                v1.batch(), v1.processed(), v1.at());

        assertThat(codec.decode(codec.encode(notice))).isEqualTo(notice);
    }

    // ---- generators ------------------------------------------------------------------------------------

    @Provide
    Arbitrary<Notice> notices() {
        return KeyArbitraries.shardIds().flatMap(shard -> Combinators.combine(
                        templates(shard, names(40), Arbitraries.oneOf(uuids(), names(40))),
                        keyLists(shard))
                .as((template, keys) -> template.withProcessed(template.id(), keys)));
    }

    private static Arbitrary<Notice> templates(String shard, Arbitrary<String> names, Arbitrary<String> ids) {
        return Combinators.combine(ids, names, names, names, batches(), instants())
                .as((id, stream, app, worker, batch, at) ->
                        new Notice(Notice.VERSION, id, stream, app, shard, worker, batch, List.of(), at));
    }

    /** 0..2000 keys of one shard, with and without sub-sequence numbers, list sizes spread evenly. */
    private static Arbitrary<List<RecordKey>> keyLists(String shard) {
        return KeyArbitraries.keysIn(shard).list().ofMaxSize(2000).withSizeDistribution(RandomDistribution.uniform());
    }

    private static Arbitrary<DeliveredBatch> batches() {
        return Combinators.combine(KeyArbitraries.sequenceNumbers(), KeyArbitraries.sequenceNumbers(),
                        Arbitraries.integers().between(1, Integer.MAX_VALUE))
                .as((a, b, received) -> RecordKey.compareSequenceNumbers(a, b) <= 0
                        ? new DeliveredBatch(a, b, received)
                        : new DeliveredBatch(b, a, received));
    }

    private static Arbitrary<Instant> instants() {
        return Combinators.combine(
                        Arbitraries.longs().between(0, Instant.parse("9999-12-31T23:59:59Z").getEpochSecond()),
                        Arbitraries.integers().between(0, 999_999_999))
                .as(Instant::ofEpochSecond);
    }

    private static Arbitrary<String> uuids() {
        return Arbitraries.randomValue(random -> new UUID(random.nextLong(), random.nextLong()).toString());
    }

    /** Non-blank names mixing ASCII (quotes and backslashes too), control characters, accents, CJK and emoji. */
    private static Arbitrary<String> names(int maxCodePoints) {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(0x20, 0x7f)),
                Tuple.of(1, Arbitraries.integers().between(0x01, 0x1f)),
                Tuple.of(2, Arbitraries.integers().between(0xa0, 0x24f)),
                Tuple.of(2, Arbitraries.integers().between(0x4e00, 0x9fff)),
                Tuple.of(1, Arbitraries.integers().between(0x1f300, 0x1faff)));
        return codePoints.list().ofMinSize(1).ofMaxSize(maxCodePoints)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()))
                .filter(s -> !s.isBlank());
    }
}
