package io.streamwreck.core.notice;

import io.streamwreck.core.RecordKey;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NoticeSplitterTest {

    static final String SHARD = "shardId-000000000001";
    static final String FIRST = "49591585917767627211020937568791696204996217827017883650";
    static final String TEMPLATE_ID = "00000000-0000-0000-0000-000000000000";

    /**
     * The template notice with no keys, written out by hand: 345 bytes, counted piece by piece as
     * {@code {"v":1,} 7 + id 44 + stream 18 + app 16 + shardId 33 + worker 20 + {@code "batch":{} 9
     * + first 67 + last 66 + received 16 + {@code },} 2 + {@code "processed":[],} 15 + at 31 + {@code }} 1.
     * Every 56-digit key then costs 58 bytes (digits and quotes) plus 1 for the comma before every key but the first.
     */
    static final String EMPTY_JSON = "{\"v\":1,\"id\":\"" + TEMPLATE_ID + "\",\"stream\":\"orders\",\"app\":\"billing\","
            + "\"shardId\":\"" + SHARD + "\",\"worker\":\"worker-7\",\"batch\":{\"first\":\"" + FIRST + "\",\"last\":\""
            + sequence(9_999) + "\",\"received\":10000},\"processed\":[],\"at\":\"2026-11-21T23:59:00.123Z\"}";
    static final int EMPTY_SIZE = 345;
    static final int KEY_SIZE = 58 + 1;

    private final NoticeCodec codec = new NoticeCodec();
    private final Notice template = new Notice(Notice.VERSION, TEMPLATE_ID, "orders", "billing", SHARD, "worker-7",
            new DeliveredBatch(FIRST, sequence(9_999), 10_000), List.of(), Instant.parse("2026-11-21T23:59:00.123Z"));

    @Test
    void theHandWrittenEmptyNoticeIsWhatTheCodecWrites() {
        assertThat(EMPTY_JSON).hasSize(EMPTY_SIZE);
        assertThat(codec.encode(template)).isEqualTo(EMPTY_JSON);
    }

    @Test
    void tenThousandRealKeysFillAsFewNoticesAsTheArithmeticSays() {
        // A notice of n keys takes 345 + 59n - 1 bytes, at most 261,120 (256 KiB less 1 KiB for attributes):
        // n <= (261,120 - 345 + 1) / 59 = 4,419.9, so 4,419 keys per notice (261,065 bytes; 4,420 would take
        // 261,124) and 10,000 keys need 3 notices: 4,419 + 4,419 + 1,162.
        int perNotice = (NoticeSplitter.DEFAULT_MAX_BYTES - EMPTY_SIZE + 1) / KEY_SIZE;
        assertThat(perNotice).isEqualTo(4_419);
        List<RecordKey> keys = realKeys(10_000);

        List<Notice> notices = new NoticeSplitter(codec).split(template, keys);

        assertThat(notices).extracting(n -> n.processed().size()).containsExactly(4_419, 4_419, 1_162);
        assertThat(notices).extracting(codec::encodedSize)
                .containsExactly(261_065, 261_065, EMPTY_SIZE + 1_162 * KEY_SIZE - 1)
                .allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(NoticeSplitter.DEFAULT_MAX_BYTES));
        assertThat(notices.stream().flatMap(n -> n.processed().stream()).toList()).isEqualTo(keys);
        assertThat(notices).extracting(Notice::id).doesNotHaveDuplicates().doesNotContain(TEMPLATE_ID);
        assertThat(notices).extracting(Notice::batch).containsOnly(template.batch());
    }

    @Test
    void aLimitOfExactlyKKeysPacksKKeysPerNotice() {
        int k = 5;
        int exact = EMPTY_SIZE + k * KEY_SIZE - 1;

        assertThat(keysPerNotice(exact, 12)).containsExactly(5, 5, 2);
        assertThat(keysPerNotice(exact - 1, 12)).containsExactly(4, 4, 4);
        assertThat(keysPerNotice(exact + KEY_SIZE - 1, 12)).containsExactly(5, 5, 2);
    }

    @Test
    void aKeyThatFitsOnlyAloneGetsANoticeOfItsOwn() {
        assertThat(keysPerNotice(EMPTY_SIZE + 58, 3)).containsExactly(1, 1, 1);
    }

    @Test
    void anEmptyListGivesOneNoticeThatStillCarriesTheBatch() {
        List<Notice> notices = new NoticeSplitter(codec, 1_000, sequentialUuids()).split(template, List.of());

        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.processed()).isEmpty();
            assertThat(n.batch()).isEqualTo(template.batch());
            assertThat(n.id()).isEqualTo(uuid(1));
        });
    }

    @Test
    void everyNoticeGetsAFreshIdFromTheSupplier() {
        List<Notice> notices = new NoticeSplitter(codec, EMPTY_SIZE + 2 * KEY_SIZE, sequentialUuids()).split(template, realKeys(5));

        assertThat(notices).extracting(Notice::id).containsExactly(uuid(1), uuid(2), uuid(3));
    }

    @Test
    void aKeyThatCannotFitAloneIsRejected() {
        RecordKey key = RecordKey.of(SHARD, FIRST);
        NoticeSplitter splitter = new NoticeSplitter(codec, EMPTY_SIZE + 57, sequentialUuids());

        assertThatThrownBy(() -> splitter.split(template, List.of(key)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key.toString())
                .hasMessageContaining(String.valueOf(EMPTY_SIZE + 57));
    }

    @Test
    void aKeyThatCannotFitIsRejectedAfterKeysThatDid() {
        RecordKey huge = RecordKey.of(SHARD, "9".repeat(129), Long.MAX_VALUE);
        List<RecordKey> keys = new ArrayList<>(realKeys(3));
        keys.add(huge);
        NoticeSplitter splitter = new NoticeSplitter(codec, EMPTY_SIZE + 100, sequentialUuids());

        assertThatThrownBy(() -> splitter.split(template, keys))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(huge.toString());
    }

    @Test
    void aLimitBelowTheEmptyNoticeIsRejected() {
        NoticeSplitter splitter = new NoticeSplitter(codec, EMPTY_SIZE - 1, sequentialUuids());

        assertThatThrownBy(() -> splitter.split(template, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without keys already takes " + EMPTY_SIZE + " bytes");
    }

    @Test
    void aLimitOfExactlyTheEmptyNoticeAllowsAnEmptyList() {
        List<Notice> notices = new NoticeSplitter(codec, EMPTY_SIZE, sequentialUuids()).split(template, List.of());

        assertThat(notices).singleElement().satisfies(n -> assertThat(codec.encodedSize(n)).isEqualTo(EMPTY_SIZE));
    }

    @Test
    void keysOfAnotherShardAreRejected() {
        RecordKey elsewhere = RecordKey.of("shardId-000000000002", FIRST);

        assertThatThrownBy(() -> new NoticeSplitter(codec).split(template, List.of(elsewhere)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("processed[0]");
    }

    @Test
    void theDefaultLimitLeavesRoomForMessageAttributes() {
        assertThat(NoticeSplitter.SNS_MESSAGE_LIMIT).isEqualTo(262_144);
        assertThat(new NoticeSplitter(codec).maxBytes()).isEqualTo(262_144 - 1_024);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private List<Integer> keysPerNotice(int maxBytes, int keyCount) {
        return new NoticeSplitter(codec, maxBytes, sequentialUuids()).split(template, realKeys(keyCount)).stream()
                .map(n -> n.processed().size())
                .toList();
    }

    /** {@code count} plain keys with real, increasing 56-digit sequence numbers. */
    static List<RecordKey> realKeys(int count) {
        return IntStream.range(0, count).mapToObj(i -> RecordKey.of(SHARD, sequence(i))).toList();
    }

    /** The i-th sequence number after {@link #FIRST}, 56 digits like every real one. */
    static String sequence(int i) {
        return new BigInteger(FIRST).add(BigInteger.valueOf(i).multiply(BigInteger.valueOf(1_000_003))).toString();
    }

    /**
     * uuid(1), uuid(2), …: distinct ids of the template id's length, as the splitter requires (it measures the
     * empty notice with the first id it is given).
     */
    private static Supplier<String> sequentialUuids() {
        AtomicLong next = new AtomicLong(1);
        return () -> uuid(next.getAndIncrement());
    }

    private static String uuid(long n) {
        return new UUID(0, n).toString();
    }
}
