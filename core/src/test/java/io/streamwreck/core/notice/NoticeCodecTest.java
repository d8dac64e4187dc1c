package io.streamwreck.core.notice;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamwreck.core.RecordKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class NoticeCodecTest {

    static final String SHARD = "shardId-000000000001";
    static final String FIRST = "49591585917767627211020937568791696204996217827017883650";
    static final String LAST = "49591585917767627211020937568791696204996217827017889999";
    static final String ID = "2f1c7e9a-5b1d-4c8e-9a44-0d6b1e3f7a21";
    static final String AT = "2026-11-21T23:59:00.123Z";

    /** DESIGN.md "Notices" example, verbatim but for real digits in place of the placeholders. */
    static final String DESIGN_EXAMPLE = """
            {"v":1,"id":"%s","stream":"orders","app":"billing","shardId":"shardId-000000000001",
             "worker":"worker-7","batch":{"first":"%s","last":"%s","received":500},
             "processed":["%s","%s:1"],"at":"2026-11-21T23:59:00.123Z"}
            """.formatted(ID, FIRST, LAST, FIRST, LAST);

    private final NoticeCodec codec = new NoticeCodec();

    /** The notice DESIGN_EXAMPLE describes. */
    static Notice example() {
        return notice(List.of(RecordKey.of(SHARD, FIRST), RecordKey.of(SHARD, LAST, 1)));
    }

    static Notice notice(List<RecordKey> processed) {
        return new Notice(Notice.VERSION, ID, "orders", "billing", SHARD, "worker-7",
                new DeliveredBatch(FIRST, LAST, 500), processed, Instant.parse(AT));
    }

    // ---- well-formed notices ---------------------------------------------------------------------------

    @Test
    void encodesTheExampleAsTheDesignDocumentShowsIt() {
        String compact = DESIGN_EXAMPLE.strip().replace("\n ", "").replace("\n", "");

        assertThat(codec.encode(example())).isEqualTo(compact);
    }

    @Test
    void decodesTheDesignDocumentExample() {
        Notice decoded = codec.decode(DESIGN_EXAMPLE);

        assertThat(decoded).isEqualTo(example());
        assertThat(decoded.processed()).extracting(RecordKey::toString)
                .containsExactly(SHARD + ":" + FIRST, SHARD + ":" + LAST + ":1");
        assertThat(decoded.batch().received()).isEqualTo(500);
        assertThat(decoded.at()).isEqualTo(Instant.parse(AT));
    }

    @Test
    void roundTripsTheExample() {
        assertThat(codec.decode(codec.encode(example()))).isEqualTo(example());
    }

    @Test
    void roundTripsAnEmptyProcessedList() {
        Notice empty = notice(List.of());

        String encoded = codec.encode(empty);

        assertThat(encoded).contains("\"processed\":[]");
        assertThat(codec.decode(encoded)).isEqualTo(empty);
        assertThat(codec.decode(encoded).processed()).isEmpty();
    }

    @Test
    void roundTripsNamesThatNeedEscapingOrAreNotAscii() {
        Notice odd = new Notice(1, "id \"1\"\\", "Bestellungen-äöü", "請求", SHARD, "worker\t😀\n",
                new DeliveredBatch(FIRST, FIRST, 1), List.of(RecordKey.of(SHARD, FIRST, 0)),
                Instant.parse("2026-01-02T03:04:05.123456789Z"));

        assertThat(codec.decode(codec.encode(odd))).isEqualTo(odd);
    }

    @Test
    void ignoresUnknownFields() {
        String withExtras = modified(root -> {
            root.put("compression", "none");
            root.putObject("trace").put("span", 42).putArray("tags").add("x");
            ((ObjectNode) root.get("batch")).put("millisBehindLatest", 1200);
        });

        assertThat(codec.decode(withExtras)).isEqualTo(example());
    }

    @Test
    void fieldOrderDoesNotMatter() {
        String reordered = """
                {"at":"%s","processed":["%s"],"batch":{"received":500,"last":"%s","first":"%s"},
                 "worker":"worker-7","shardId":"%s","app":"billing","stream":"orders","id":"%s","v":1}
                """.formatted(AT, FIRST, LAST, FIRST, SHARD, ID);

        assertThat(codec.decode(reordered)).isEqualTo(notice(List.of(RecordKey.of(SHARD, FIRST))));
    }

    // ---- malformed notices -----------------------------------------------------------------------------

    static Stream<Arguments> malformedNotices() {
        return Stream.of(
                arguments("null", null, List.of("empty")),
                arguments("empty", "", List.of("empty")),
                arguments("blank", " \n ", List.of("empty")),
                arguments("not JSON", "processed 500 records", List.of("not valid JSON")),
                arguments("truncated JSON", DESIGN_EXAMPLE.substring(0, 120), List.of("not valid JSON")),
                arguments("trailing garbage", DESIGN_EXAMPLE + "garbage", List.of("not valid JSON")),
                arguments("two notices in one message", DESIGN_EXAMPLE + DESIGN_EXAMPLE, List.of("not valid JSON")),
                arguments("JSON array", "[" + DESIGN_EXAMPLE + "]", List.of("must be a JSON object")),
                arguments("JSON string", "\"notice\"", List.of("must be a JSON object")),
                arguments("JSON null", "null", List.of("must be a JSON object")),
                arguments("missing v", without("v"), List.of("\"v\"", "missing")),
                arguments("v is a string", with("v", "\"1\""), List.of("\"v\"")),
                arguments("v is a fraction", with("v", "1.5"), List.of("\"v\"")),
                arguments("v=3", with("v", "3"), List.of("unsupported notice version 3")),
                arguments("v=0", with("v", "0"), List.of("unsupported notice version 0")),
                arguments("v=2^32+1", with("v", "4294967297"), List.of("unsupported notice version 4294967297")),
                arguments("missing shardId", without("shardId"), List.of("\"shardId\"")),
                arguments("bad shardId", with("shardId", "\"shard-000000000001\""),
                        List.of("\"shardId\"", "shard-000000000001", "starts with \"shardId-\"")),
                arguments("shardId a number", with("shardId", "1"), List.of("\"shardId\"")),
                arguments("missing batch", without("batch"), List.of("\"batch\"")),
                arguments("batch an array", with("batch", "[]"), List.of("\"batch\"")),
                arguments("batch.first > batch.last", with("batch", batch(LAST, FIRST, "500")),
                        List.of("batch.first", "after batch.last")),
                arguments("batch.first missing", with("batch", "{\"last\":\"" + LAST + "\",\"received\":500}"),
                        List.of("batch.first")),
                arguments("batch.last not a sequence number", with("batch", batch(FIRST, "12ab", "500")),
                        List.of("\"batch.last\"", "12ab")),
                arguments("received 0", with("batch", batch(FIRST, LAST, "0")), List.of("batch.received", "at least 1")),
                arguments("received negative", with("batch", batch(FIRST, LAST, "-3")), List.of("batch.received")),
                arguments("received a string", with("batch", batch(FIRST, LAST, "\"500\"")), List.of("batch.received")),
                arguments("received a fraction", with("batch", batch(FIRST, LAST, "2.5")), List.of("batch.received")),
                arguments("received too large", with("batch", batch(FIRST, LAST, "4294967297")), List.of("batch.received")),
                arguments("missing processed", without("processed"), List.of("\"processed\"")),
                arguments("processed not an array", with("processed", "\"" + FIRST + "\""), List.of("\"processed\"", "array")),
                arguments("processed[2] bad key", with("processed", "[\"1\",\"2\",\"3x\",\"4\"]"),
                        List.of("processed[2]", "3x", "decimal digits only")),
                arguments("processed[0] leading zero", with("processed", "[\"0" + FIRST + "\"]"),
                        List.of("processed[0]", "leading zero")),
                arguments("processed[1] a number", with("processed", "[\"1\",2]"), List.of("processed[1]", "string")),
                arguments("processed[0] null", with("processed", "[null]"), List.of("processed[0]")),
                arguments("processed[0] shard-qualified", with("processed", "[\"" + SHARD + ":" + FIRST + "\"]"),
                        List.of("processed[0]")),
                arguments("missing at", without("at"), List.of("\"at\"")),
                arguments("bad at", with("at", "\"yesterday\""), List.of("\"at\"", "yesterday")),
                arguments("at without zone", with("at", "\"2026-11-21T23:59:00\""), List.of("\"at\"")),
                arguments("at as epoch millis", with("at", "1795305540123"), List.of("\"at\"")),
                arguments("blank id", with("id", "\"  \""), List.of("\"id\"")),
                arguments("missing id", without("id"), List.of("\"id\"")),
                arguments("empty stream", with("stream", "\"\""), List.of("\"stream\"")),
                arguments("missing app", without("app"), List.of("\"app\"")),
                arguments("worker a number", with("worker", "7"), List.of("\"worker\"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedNotices")
    void rejectsAMalformedNoticeNamingTheField(String description, String notice, List<String> messageParts) {
        assertThatThrownBy(() -> codec.decode(notice))
                .isInstanceOf(NoticeFormatException.class)
                .message().contains(messageParts);
    }

    @Test
    void theExampleEditsOfTheMalformedCasesAreOtherwiseValid() {
        // Guards the table above: the editing helpers must produce a decodable notice when given valid values.
        assertThat(codec.decode(with("v", "1"))).isEqualTo(example());
        assertThat(codec.decode(with("batch", batch(FIRST, LAST, "500")))).isEqualTo(example());
        assertThat(codec.decode(with("processed", "[]"))).isEqualTo(notice(List.of()));
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** The example with one top-level field replaced by the given raw JSON value. */
    static String with(String field, String rawJson) {
        return modified(root -> {
            try {
                root.set(field, new ObjectMapper().readTree(rawJson));
            } catch (Exception e) {
                throw new IllegalArgumentException(rawJson, e);
            }
        });
    }

    /** The example without one top-level field. */
    static String without(String field) {
        return modified(root -> root.remove(field));
    }

    static String batch(String first, String last, String rawReceived) {
        return "{\"first\":\"" + first + "\",\"last\":\"" + last + "\",\"received\":" + rawReceived + "}";
    }

    private static String modified(Consumer<ObjectNode> edit) {
        try {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = (ObjectNode) mapper.readTree(DESIGN_EXAMPLE);
            edit.accept(root);
            return mapper.writeValueAsString(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
