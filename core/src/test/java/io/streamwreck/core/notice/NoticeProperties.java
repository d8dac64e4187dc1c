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
import net.jqwik.api.statistics.Statistics;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NoticeProperties {

    private final NoticeCodec codec = new NoticeCodec();

    // ---- codec -----------------------------------------------------------------------------------------

    @Property(tries = 300)
    void decodeReadsBackWhatEncodeWrites(@ForAll("notices") Notice notice) {
        String encoded = codec.encode(notice);

        assertThat(codec.decode(encoded)).isEqualTo(notice);
        assertThat(codec.encodedSize(notice)).isEqualTo(encoded.getBytes(StandardCharsets.UTF_8).length);
    }

    /** Version 2 carries the same keys, whatever their order, sub-sequence numbers or distance to batch.first. */
    @Property(tries = 300)
    void compactNoticesReadBackExactly(@ForAll("notices") Notice v1) {
        Notice notice = new Notice(Notice.COMPACT_VERSION, v1.id(), v1.stream(), v1.app(), v1.shardId(), v1.worker(),
                v1.batch(), v1.processed(), v1.at());

        assertThat(codec.decode(codec.encode(notice))).isEqualTo(notice);
    }

    // ---- splitter --------------------------------------------------------------------------------------

    /** One batch to split: a template notice, the processed keys (all in its shard) and the size limit. */
    record SplitCase(Notice template, List<RecordKey> keys, int maxBytes) {
    }

    @Property(tries = 300)
    void splitsIntoTheFewestNoticesThatFit(@ForAll("splitCases") SplitCase c) {
        NoticeSplitter splitter = new NoticeSplitter(codec, c.maxBytes(), sequentialIds());
        boolean fits = emptySize(c.template()) + largestKeySize(c.keys()) <= c.maxBytes();
        Statistics.label("outcome").collect(fits ? "split" : "a key does not fit");
        Statistics.label("outcome").coverage(check -> check.check("split").percentage(p -> p >= 80));
        if (!fits) {
            assertThatThrownBy(() -> splitter.split(c.template(), c.keys())).isInstanceOf(IllegalArgumentException.class);
            return;
        }

        List<Notice> notices = splitter.split(c.template(), c.keys());

        Statistics.label("notices").collect(notices.size() == 1 ? "one" : "several");
        Statistics.label("notices").coverage(check -> check.check("several").percentage(p -> p >= 40));
        assertThat(notices).isNotEmpty();
        assertEveryNoticeFits(notices, c.maxBytes());
        assertThat(concatenatedKeys(notices)).containsExactlyElementsOf(c.keys());
        assertThat(new HashSet<>(notices.stream().map(Notice::id).toList())).hasSameSizeAs(notices);
        assertEveryNoticeCarriesTheTemplate(notices, c.template());
        if (c.keys().isEmpty()) {
            assertThat(notices).singleElement().satisfies(n -> assertThat(n.processed()).isEmpty());
        } else {
            assertThat(notices).allSatisfy(n -> assertThat(n.processed()).isNotEmpty());
        }
        assertNoTwoAdjacentNoticesCouldBeOne(notices, c.maxBytes());
        assertEveryNoticeButTheLastIsFull(notices, c.maxBytes());
    }

    private void assertEveryNoticeFits(List<Notice> notices, int maxBytes) {
        for (Notice n : notices) {
            assertThat(codec.encodedSize(n)).as("size of notice %s", n.id()).isLessThanOrEqualTo(maxBytes);
        }
    }

    private static void assertEveryNoticeCarriesTheTemplate(List<Notice> notices, Notice template) {
        for (Notice n : notices) {
            assertThat(n.batch()).isEqualTo(template.batch());
            assertThat(n.version()).isEqualTo(template.version());
            assertThat(n.stream()).isEqualTo(template.stream());
            assertThat(n.app()).isEqualTo(template.app());
            assertThat(n.shardId()).isEqualTo(template.shardId());
            assertThat(n.worker()).isEqualTo(template.worker());
            assertThat(n.at()).isEqualTo(template.at());
        }
    }

    private void assertNoTwoAdjacentNoticesCouldBeOne(List<Notice> notices, int maxBytes) {
        for (int i = 0; i + 1 < notices.size(); i++) {
            List<RecordKey> both = new ArrayList<>(notices.get(i).processed());
            both.addAll(notices.get(i + 1).processed());
            Notice merged = notices.get(i).withProcessed(notices.get(i).id(), both);
            assertThat(codec.encodedSize(merged)).as("notices %d and %d merged", i, i + 1).isGreaterThan(maxBytes);
        }
    }

    /** Greedy packing: the next notice's first key would not have fitted into the one before. */
    private void assertEveryNoticeButTheLastIsFull(List<Notice> notices, int maxBytes) {
        for (int i = 0; i + 1 < notices.size(); i++) {
            List<RecordKey> oneMore = new ArrayList<>(notices.get(i).processed());
            oneMore.add(notices.get(i + 1).processed().get(0));
            Notice grown = notices.get(i).withProcessed(notices.get(i).id(), oneMore);
            assertThat(codec.encodedSize(grown)).as("notice %d plus one key", i).isGreaterThan(maxBytes);
        }
    }

    private static List<RecordKey> concatenatedKeys(List<Notice> notices) {
        return notices.stream().flatMap(n -> n.processed().stream()).toList();
    }

    private int emptySize(Notice template) {
        return codec.encodedSize(template.withProcessed(template.id(), List.of()));
    }

    private static int largestKeySize(List<RecordKey> keys) {
        return keys.stream().mapToInt(k -> k.sequencePart().length() + 2).max().orElse(0);
    }

    /** Distinct ids of one length, as the splitter requires (the template ids are UUIDs too). */
    private static Supplier<String> sequentialIds() {
        AtomicLong next = new AtomicLong();
        return () -> new UUID(0x5eed, next.getAndIncrement()).toString();
    }

    // ---- generators ------------------------------------------------------------------------------------

    @Provide
    Arbitrary<Notice> notices() {
        return KeyArbitraries.shardIds().flatMap(shard -> Combinators.combine(
                        templates(shard, names(40), Arbitraries.oneOf(uuids(), names(40))),
                        keyLists(shard))
                .as((template, keys) -> template.withProcessed(template.id(), keys)));
    }

    @Provide
    Arbitrary<SplitCase> splitCases() {
        return KeyArbitraries.shardIds().flatMap(shard -> Combinators.combine(
                        templates(shard, names(12), uuids()),
                        keyLists(shard),
                        Arbitraries.integers().between(600, 20_000))
                .as(SplitCase::new));
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
