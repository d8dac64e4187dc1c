package io.streamwreck.core;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class RecordKeyTest {

    /** A real shard id and a real (56-digit) sequence number, as in DESIGN.md "Record keys". */
    static final String SHARD = "shardId-000000000001";
    static final String SEQ = "49591585917767627211020937568791696204996217827017883650";
    static final String KEY = SHARD + ":" + SEQ;

    // ---- parse and format ------------------------------------------------------------------------------

    @Test
    void parsesAPlainKey() {
        RecordKey key = RecordKey.parse(KEY);

        assertThat(key.shardId()).isEqualTo(SHARD);
        assertThat(key.sequenceNumber()).isEqualTo(SEQ);
        assertThat(key.hasSubSequenceNumber()).isFalse();
        assertThat(key.sequencePart()).isEqualTo(SEQ);
        assertThat(key).hasToString(KEY);
        assertThatThrownBy(key::subSequenceNumber)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(KEY);
    }

    @Test
    void parsesAKeyWithASubSequenceNumber() {
        RecordKey key = RecordKey.parse(KEY + ":3");

        assertThat(key.shardId()).isEqualTo(SHARD);
        assertThat(key.sequenceNumber()).isEqualTo(SEQ);
        assertThat(key.hasSubSequenceNumber()).isTrue();
        assertThat(key.subSequenceNumber()).isEqualTo(3L);
        assertThat(key.sequencePart()).isEqualTo(SEQ + ":3");
        assertThat(key).hasToString(KEY + ":3");
    }

    @Test
    void subSequenceNumberZeroAndLongMaxAreValid() {
        assertThat(RecordKey.parse(KEY + ":0").subSequenceNumber()).isZero();
        assertThat(RecordKey.parse(KEY + ":" + Long.MAX_VALUE).subSequenceNumber()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void subSequenceZeroIsNotThePlainRecord() {
        assertThat(RecordKey.parse(KEY + ":0")).isNotEqualTo(RecordKey.parse(KEY));
    }

    @Test
    void acceptsTheLargestSequenceNumbers() {
        String nines = "9".repeat(RecordKey.MAX_SEQUENCE_DIGITS);
        String tenPower = "1" + "0".repeat(RecordKey.MAX_SEQUENCE_DIGITS - 1);

        assertThat(RecordKey.parse(SHARD + ":" + nines).sequenceNumber()).hasSize(129).isEqualTo(nines);
        assertThat(RecordKey.parse(SHARD + ":" + tenPower + ":7")).hasToString(SHARD + ":" + tenPower + ":7");
    }

    @Test
    void acceptsTheSmallestShardAndSequence() {
        RecordKey key = RecordKey.parse("shardId-000000000000:0");
        assertThat(key.shardId()).isEqualTo("shardId-000000000000");
        assertThat(key.sequenceNumber()).isEqualTo("0");
    }

    @Test
    void ofBuildsTheSameKeysAsParse() {
        assertThat(RecordKey.of(SHARD, SEQ)).isEqualTo(RecordKey.parse(KEY));
        assertThat(RecordKey.of(SHARD, SEQ, 3)).isEqualTo(RecordKey.parse(KEY + ":3"));
    }

    @Test
    void parseInShardReadsTheSequencePartOfANotice() {
        assertThat(RecordKey.parseInShard(SHARD, SEQ)).isEqualTo(RecordKey.parse(KEY));
        assertThat(RecordKey.parseInShard(SHARD, SEQ + ":12")).isEqualTo(RecordKey.parse(KEY + ":12"));
    }

    @Test
    void parseInShardRejectsABadShardOrSequencePart() {
        assertRejected(() -> RecordKey.parseInShard("shard-1", SEQ), "\"shard-1\"", "starts with \"shardId-\"");
        assertRejected(() -> RecordKey.parseInShard(SHARD, null), "null", "a sequence number is required");
        assertRejected(() -> RecordKey.parseInShard(SHARD, KEY), quote(KEY), "decimal digits only, found 's'");
        assertRejected(() -> RecordKey.parseInShard(SHARD, SEQ + ":1:2"), quote(SEQ + ":1:2"), "too many fields");
    }

    @Test
    void ofRejectsANegativeSubSequenceNumber() {
        assertRejected(() -> RecordKey.of(SHARD, SEQ, -1), "\"-1\"", "zero or positive");
    }

    @Test
    void ofRejectsABadShardOrSequence() {
        assertRejected(() -> RecordKey.of("shardId-1", SEQ), "\"shardId-1\"", "exactly 12 digits");
        assertRejected(() -> RecordKey.of(SHARD, "0" + SEQ, 1), quote("0" + SEQ), "leading zero");
    }

    // ---- ordering, equality ----------------------------------------------------------------------------

    @Test
    void ordersSequenceNumbersNumericallyNotAsText() {
        assertThat(key("9")).isLessThan(key("10"));
        assertThat(key("10")).isGreaterThan(key("9"));
        assertThat(key(SEQ.substring(1))).isLessThan(key(SEQ)); // 55 digits < 56 digits
        assertThat(key("49591585917767627211020937568791696204996217827017883649")).isLessThan(key(SEQ));
    }

    @Test
    void ordersByShardThenSequenceThenSubSequenceWithThePlainRecordFirst() {
        List<RecordKey> expected = List.of(
                RecordKey.parse("shardId-000000000000:" + SEQ),
                RecordKey.parse(SHARD + ":9"),
                RecordKey.parse(SHARD + ":10"),
                RecordKey.parse(SHARD + ":10:0"),
                RecordKey.parse(SHARD + ":10:2"),
                RecordKey.parse(SHARD + ":10:10"),
                RecordKey.parse(SHARD + ":" + SEQ),
                RecordKey.parse("shardId-000000000002:1"));
        List<RecordKey> shuffled = new ArrayList<>(expected);
        Collections.reverse(shuffled);
        Collections.swap(shuffled, 1, 5);

        Collections.sort(shuffled);

        assertThat(shuffled).containsExactlyElementsOf(expected);
    }

    @Test
    void compareSequenceNumbersComparesNumerically() {
        assertThat(RecordKey.compareSequenceNumbers("9", "10")).isNegative();
        assertThat(RecordKey.compareSequenceNumbers("10", "9")).isPositive();
        assertThat(RecordKey.compareSequenceNumbers("21", "12")).isPositive();
        assertThat(RecordKey.compareSequenceNumbers(SEQ, SEQ)).isZero();
    }

    @Test
    void compareToIsZeroExactlyForEqualKeys() {
        assertThat(RecordKey.parse(KEY).compareTo(RecordKey.of(SHARD, SEQ))).isZero();
        assertThat(RecordKey.parse(KEY + ":0").compareTo(RecordKey.parse(KEY))).isPositive();
    }

    @Test
    void equalKeysHaveEqualHashCodes() {
        RecordKey parsed = RecordKey.parse(KEY + ":5");
        RecordKey built = RecordKey.of(SHARD, new String(SEQ.toCharArray()), 5);

        assertThat(parsed).isEqualTo(built).isEqualTo(parsed);
        assertThat(parsed.hashCode()).isEqualTo(built.hashCode());
    }

    @Test
    void keysDifferingInAnyFieldAreNotEqual() {
        RecordKey key = RecordKey.parse(KEY + ":5");

        assertThat(key)
                .isNotEqualTo(RecordKey.parse("shardId-000000000002:" + SEQ + ":5"))
                .isNotEqualTo(RecordKey.parse(SHARD + ":" + SEQ.replace('0', '1') + ":5"))
                .isNotEqualTo(RecordKey.parse(KEY + ":6"))
                .isNotEqualTo(RecordKey.parse(KEY))
                .isNotEqualTo(KEY + ":5")
                .isNotEqualTo(null);
    }

    @Test
    void isSequenceNumberTellsValidFromInvalid() {
        assertThat(RecordKey.isSequenceNumber(SEQ)).isTrue();
        assertThat(RecordKey.isSequenceNumber("0")).isTrue();
        assertThat(RecordKey.isSequenceNumber("01")).isFalse();
        assertThat(RecordKey.isSequenceNumber("")).isFalse();
        assertThat(RecordKey.isSequenceNumber(null)).isFalse();
        assertThat(RecordKey.isSequenceNumber(SEQ + ":1")).isFalse();
    }

    // ---- rejections ------------------------------------------------------------------------------------

    static Stream<Arguments> badKeys() {
        String digits130 = "1".repeat(130);
        return Stream.of(
                // description, input, the input as the message quotes it, the reason the message must give
                arguments("empty", "", "\"\"", "no ':' after the shard id"),
                arguments("null", null, "null", "a record key is required"),
                arguments("letter in sequence", SHARD + ":4959158591776762721102093756879169620499621782701788365a",
                        null, "must be decimal digits only, found 'a' at position 56"),
                arguments("hex sequence", SHARD + ":0x1F", null, "found 'x' at position 2"),
                arguments("130 digits", SHARD + ":" + digits130, null, "has 130 digits, at most 129"),
                arguments("shard- prefix", "shard-000000000001:" + SEQ, null, "starts with \"shardId-\""),
                arguments("shardId-1", "shardId-1:" + SEQ, null, "exactly 12 digits"),
                arguments("13-digit shard", "shardId-0000000000001:" + SEQ, null, "exactly 12 digits"),
                arguments("11-digit shard", "shardId-00000000001:" + SEQ, null, "exactly 12 digits"),
                arguments("letter in shard", "shardId-00000000000a:" + SEQ, null, "exactly 12 digits"),
                arguments("ShardId capitalised", "ShardId-000000000001:" + SEQ, null, "starts with \"shardId-\""),
                arguments("shardid lower case", "shardid-000000000001:" + SEQ, null, "starts with \"shardId-\""),
                arguments("missing shard", ":" + SEQ, null, "a shard id is required"),
                arguments("bare sequence number", SEQ, null, "no ':' after the shard id"),
                arguments("shard without sequence", SHARD, null, "no ':' after the shard id"),
                arguments("empty sequence", SHARD + ":", null, "the sequence number is empty"),
                arguments("a:b:c:d", "a:b:c:d", null, "starts with \"shardId-\""),
                arguments("four fields", KEY + ":1:2", null, "too many fields"),
                arguments("leading space", " " + KEY, "\"\\u0020" + KEY + "\"", "starts with \"shardId-\""),
                arguments("trailing space", KEY + " ", "\"" + KEY + "\\u0020\"", "found '\\u0020' at position 57"),
                arguments("space after colon", SHARD + ": " + SEQ, "\"" + SHARD + ":\\u0020" + SEQ + "\"",
                        "found '\\u0020' at position 1"),
                arguments("space inside sequence", SHARD + ":4959 158591", null, "found '\\u0020' at position 5"),
                arguments("space inside shard", "shardId- 00000000001:" + SEQ, null, "exactly 12 digits"),
                arguments("trailing tab", KEY + "\t", "\"" + KEY + "\\u0009\"", "found '\\u0009'"),
                arguments("trailing newline", KEY + "\n", "\"" + KEY + "\\u000a\"", "found '\\u000a'"),
                arguments("newline before sub-sequence", KEY + ":\n3", "\"" + KEY + ":\\u000a3\"", "sub-sequence number must be decimal digits only, found '\\u000a'"),
                arguments("leading zero", SHARD + ":0" + SEQ, null, "leading zero"),
                arguments("zeros only", SHARD + ":00", null, "leading zero"),
                arguments("sub-sequence leading zero", KEY + ":01", null, "sub-sequence number has a leading zero"),
                arguments("negative sequence", SHARD + ":-" + SEQ, null, "found '-' at position 1"),
                arguments("plus sign", SHARD + ":+" + SEQ, null, "found '+' at position 1"),
                arguments("negative sub-sequence", KEY + ":-1", null, "sub-sequence number must be decimal digits only, found '-'"),
                arguments("non-ASCII digits", SHARD + ":\u0661\u0662\u0663", null, "found '\u0661' at position 1"),
                arguments("empty sub-sequence", KEY + ":", null, "the sub-sequence number is empty"),
                arguments("sub-sequence Long.MAX + 1", KEY + ":9223372036854775808", null,
                        "larger than 9223372036854775807"),
                arguments("20-digit sub-sequence", KEY + ":12345678901234567890", null,
                        "sub-sequence number has 20 digits, at most 19"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badKeys")
    void rejectsBadKeysQuotingTheInputAndSayingWhy(String description, String input, String quoted, String reason) {
        InvalidKeyException e = assertRejected(() -> RecordKey.parse(input), quoted != null ? quoted : quote(input), reason);
        assertThat(e.input()).isEqualTo(input);
    }

    static Stream<Arguments> hugeInputs() {
        return Stream.of(
                arguments("10,000 digits", SHARD + ":" + "1".repeat(10_000)),
                arguments("10,000-digit shard", "shardId-" + "1".repeat(10_000) + ":" + SEQ),
                arguments("10,000 letters", "x".repeat(10_000)),
                arguments("10,000 spaces", " ".repeat(10_000)),
                arguments("10,000 tabs in the sequence", SHARD + ":" + "\t".repeat(10_000)),
                arguments("10,000 quotes", SHARD + ":" + "\"".repeat(10_000)),
                arguments("10,000 colons", ":".repeat(10_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hugeInputs")
    void cutsAVeryLongInputShortInTheMessage(String description, String input) {
        assertThatThrownBy(() -> RecordKey.parse(input))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("(" + input.length() + " characters)")
                .message().hasSizeLessThan(300);
    }

    @Test
    void theMessageOfAVeryLongInputStillSaysWhy() {
        assertThatThrownBy(() -> RecordKey.parse(SHARD + ":" + "1".repeat(10_000)))
                .hasMessageStartingWith("\"" + SHARD + ":111")
                .hasMessageContaining("has 10000 digits, at most 129");
    }

    static Stream<Arguments> badShardIds() {
        return Stream.of(
                arguments(null, "null", "a shard id is required"),
                arguments("", "\"\"", "a shard id is required"),
                arguments("shardId-", null, "exactly 12 digits"),
                arguments("shardId-1", null, "exactly 12 digits"),
                arguments("shardId-0000000000001", null, "exactly 12 digits"),
                arguments("shardId-00000000000x", null, "exactly 12 digits"),
                arguments("shardId--00000000001", null, "exactly 12 digits"),
                arguments("shard-000000000001", null, "starts with \"shardId-\""),
                arguments("ShardId-000000000001", null, "starts with \"shardId-\""),
                arguments("000000000001", null, "starts with \"shardId-\""),
                arguments(" " + SHARD, "\"\\u0020" + SHARD + "\"", "starts with \"shardId-\""),
                arguments(SHARD + "\n", "\"" + SHARD + "\\u000a\"", "exactly 12 digits"),
                arguments(KEY, null, "exactly 12 digits"));
    }

    @ParameterizedTest
    @MethodSource("badShardIds")
    void validateShardIdRejects(String input, String quoted, String reason) {
        assertRejected(() -> RecordKey.validateShardId(input), quoted != null ? quoted : quote(input), reason);
    }

    @Test
    void validateShardIdReturnsAValidShardIdUnchanged() {
        assertThat(RecordKey.validateShardId(SHARD)).isSameAs(SHARD);
        assertThat(RecordKey.validateShardId("shardId-999999999999")).isEqualTo("shardId-999999999999");
    }

    static Stream<Arguments> badSequenceNumbers() {
        return Stream.of(
                arguments(null, "null", "a sequence number is required"),
                arguments("", "\"\"", "the sequence number is empty"),
                arguments("0" + SEQ, null, "leading zero"),
                arguments("12a4", null, "found 'a' at position 3"),
                arguments("-1", null, "found '-' at position 1"),
                arguments("1.5", null, "found '.' at position 2"),
                arguments(" 1", "\"\\u00201\"", "found '\\u0020' at position 1"),
                arguments(SEQ + ":1", null, "found ':' at position 57"),
                arguments("9".repeat(130), null, "has 130 digits, at most 129"));
    }

    @ParameterizedTest
    @MethodSource("badSequenceNumbers")
    void validateSequenceNumberRejects(String input, String quoted, String reason) {
        assertRejected(() -> RecordKey.validateSequenceNumber(input), quoted != null ? quoted : quote(input), reason);
    }

    @Test
    void validateSequenceNumberReturnsAValidSequenceNumberUnchanged() {
        assertThat(RecordKey.validateSequenceNumber(SEQ)).isSameAs(SEQ);
        assertThat(RecordKey.validateSequenceNumber("0")).isEqualTo("0");
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static RecordKey key(String sequenceNumber) {
        return RecordKey.of(SHARD, sequenceNumber);
    }

    /** How the message quotes a short input: in double quotes, with quotes, spaces, tabs and newlines escaped. */
    private static String quote(String input) {
        String escaped = input.replace("\\", "\\\\").replace("\"", "\\\"")
                .replace(" ", "\\u0020").replace("\t", "\\u0009").replace("\n", "\\u000a");
        return "\"" + escaped + "\"";
    }

    /** Asserts an {@link InvalidKeyException} whose message is "QUOTED-INPUT: REASON…". */
    private static InvalidKeyException assertRejected(ThrowingCallable call, String quotedInput, String reason) {
        InvalidKeyException e = catchThrowableOfType(InvalidKeyException.class, call);
        assertThat(e).as("an InvalidKeyException").isNotNull();
        assertThat(e).hasMessageStartingWith(quotedInput + ": ").hasMessageContaining(reason);
        return e;
    }
}
