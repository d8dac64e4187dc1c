package io.streamwreck.checker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.streamwreck.checker.LedgerScenario.k0;
import static io.streamwreck.checker.LedgerScenario.k1;
import static io.streamwreck.checker.LedgerScenario.s0;
import static io.streamwreck.checker.LedgerScenario.s1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ReconcileRequestReaderTest {

    private final ReconcileRequestReader reader = new ReconcileRequestReader("orders", "billing", RequestLimits.MAX_KEYS);

    @Test
    void theSeedsBareArrayIsReadInTheDefaultScope() {
        ReconcileRequest request = reader.read("[\"" + s0(0) + "\", \"" + s1(3) + "\"]");

        assertThat(request.form()).isEqualTo(KeyForm.BARE);
        assertThat(request.scope()).isEqualTo(new Scope("orders", "billing"));
        assertThat(request.texts()).containsExactly(s0(0), s1(3));
        assertThat(request.keys()).isEmpty();
    }

    @Test
    void qualifiedKeysAreParsedInOrder() {
        String aggregated = LedgerScenario.SHARD_1_ID + ":" + s1(6) + ":2";
        ReconcileRequest request = reader.read("[\"" + k1(0) + "\",\"" + k0(3) + "\",\"" + aggregated + "\"]");

        assertThat(request.form()).isEqualTo(KeyForm.QUALIFIED);
        assertThat(request.texts()).containsExactly(k1(0), k0(3), aggregated);
        assertThat(request.keys()).containsExactly(RecordKey.parse(k1(0)), RecordKey.parse(k0(3)),
                RecordKey.of(LedgerScenario.SHARD_1_ID, s1(6), 2));
    }

    @Test
    void theObjectFormOverridesTheDefaultScope() {
        ReconcileRequest request = reader.read("{\"Keys\":[\"" + k0(0) + "\"],\"Application\":\"audit\",\"Stream\":\"payments\"}");

        assertThat(request.scope()).isEqualTo(new Scope("payments", "audit"));
        assertThat(request.texts()).containsExactly(k0(0));
    }

    @Test
    void theObjectFormMayOverrideOnlyOnePartOfTheScope() {
        assertThat(reader.read("{\"Stream\":\"payments\",\"Keys\":[]}").scope()).isEqualTo(new Scope("payments", "billing"));
        assertThat(reader.read("{\"Application\":\"audit\",\"Keys\":[]}").scope()).isEqualTo(new Scope("orders", "audit"));
    }

    @Test
    void aKeyAskedTwiceIsAnsweredOnce() {
        ReconcileRequest request = reader.read("[\"" + k0(1) + "\",\"" + k0(0) + "\",\"" + k0(1) + "\"]");

        assertThat(request.texts()).containsExactly(k0(1), k0(0));
        assertThat(request.keys()).hasSize(2);
    }

    @Test
    void repeatsAreFoundWhetherOrNotTheKeysAreInOrder() {
        assertThat(reader.read(array(k0(0), k0(1), k0(1), k0(2))).texts()).containsExactly(k0(0), k0(1), k0(2));
        assertThat(reader.read(array(k0(0), k0(1), k0(2), k0(0), k1(0), k0(2))).texts()).containsExactly(k0(0), k0(1), k0(2), k1(0));
        assertThat(reader.read(array("5", "7", "7", "3", "5", "11")).texts()).containsExactly("5", "7", "3", "11");
        // Numeric order, not text order: "11" sorts after "7".
        assertThat(reader.read(array("7", "11", "7")).texts()).containsExactly("7", "11");
    }

    private static String array(String... keys) {
        return "[\"" + String.join("\",\"", keys) + "\"]";
    }

    @Test
    void anEmptyListIsAValidRequest() {
        assertThat(reader.read("[]").texts()).isEmpty();
        assertThat(reader.read(" { \"Keys\" : [ ] } ").texts()).isEmpty();
    }

    @Test
    void aByteOrderMarkAndWhitespaceAreAccepted() {
        assertThat(reader.read("\uFEFF\n  [ \"" + s0(0) + "\" ]\n").texts()).containsExactly(s0(0));
    }

    @Test
    void exactly50000KeysAreAccepted() {
        assertThat(reader.read(new String(MalformedRequests.keys(50_000), java.nio.charset.StandardCharsets.UTF_8)).texts())
                .hasSize(50_000);
    }

    @Test
    void withoutADefaultScopeTheRequestMustNameOne() {
        ReconcileRequestReader noDefaults = new ReconcileRequestReader(null, null, RequestLimits.MAX_KEYS);

        ApiException e = catchThrowableOfType(ApiException.class, () -> noDefaults.read("[\"" + s0(0) + "\"]"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("MissingScope");
        assertThat(e.getMessage()).contains("no Stream and Application given").contains("STREAM_NAME");
        assertThat(noDefaults.read("{\"Stream\":\"s\",\"Application\":\"a\",\"Keys\":[]}").scope()).isEqualTo(new Scope("s", "a"));
        assertThatThrownBy(() -> noDefaults.read("{\"Stream\":\"s\",\"Keys\":[]}"))
                .hasMessageContaining("no Application given");
    }

    @Test
    void aRefusedItemCarriesItsIndex() {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> reader.read("{\"Keys\":[\"" + k0(0) + "\",\"" + k0(1) + "\",\"oops\"]}"));

        assertThat(e.index()).isEqualTo(2);
        assertThat(e.getMessage()).startsWith("Keys[2] \"oops\": ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readerCases")
    void malformedBodiesAreRefusedWithAClearMessage(MalformedRequests.Case c) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> reader.read(c.text()));

        assertThat(e).as("refused").isNotNull();
        assertThat(e.status()).isEqualTo(c.status());
        assertThat(e.code()).isEqualTo(c.error());
        assertThat(e.getMessage()).contains(c.messagePart()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void theFlatArrayFastPathAnswersExactlyAsJacksonDoes(String name, String body) {
        ReconcileRequestReader jackson = new ReconcileRequestReader("orders", "billing", RequestLimits.MAX_KEYS, false);

        assertThat(outcome(reader, body)).isEqualTo(outcome(jackson, body));
    }

    /** The request read, or the refusal (status, code, index, message). */
    private static Object outcome(ReconcileRequestReader r, String body) {
        try {
            return r.read(body);
        } catch (ApiException e) {
            return List.of(e.status(), e.code(), String.valueOf(e.index()), e.getMessage());
        }
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> bodies() {
        List<org.junit.jupiter.params.provider.Arguments> bodies = new java.util.ArrayList<>();
        for (MalformedRequests.Case c : MalformedRequests.all()) {
            if (c.layer() == MalformedRequests.Layer.READER) {
                bodies.add(org.junit.jupiter.params.provider.Arguments.of(c.name(), c.text()));
            }
        }
        String[] valid = {
            "[]", " [ ] ", "[\"" + s0(0) + "\"]", "\n[\t\"" + k0(0) + "\" ,\r\n \"" + k0(1) + "\" ]\n",
            array(k0(2), k0(1), k0(2)), array(s0(3), s0(1)), array(LedgerScenario.SHARD_1_ID + ":" + s1(6) + ":2"),
            "[\"" + s0(0) + "\"] ", "[\"" + s0(0) + "\"]]", "[\"" + s0(0) + "\",]", "[\"" + s0(0) + "\"", "[\"" + s0(0),
            "[\"" + s0(0) + "\" \"" + s0(1) + "\"]", "[\"\\u0034\"]", "[\"4\\n\"]", "[\"zürich\"]", "[\"4\", 4]",
            "[\"4\"] // comment", "[\"4\"]\u0000", "{\"Keys\":[\"4\"]}", "[\"4\",\"shardId-000000000001:5\"]",
            new String(MalformedRequests.keys(50_000), java.nio.charset.StandardCharsets.UTF_8),
            new String(MalformedRequests.keys(50_001), java.nio.charset.StandardCharsets.UTF_8),
        };
        for (int i = 0; i < valid.length; i++) {
            bodies.add(org.junit.jupiter.params.provider.Arguments.of("body " + i, valid[i]));
        }
        return bodies.stream();
    }

    static Stream<MalformedRequests.Case> readerCases() {
        List<MalformedRequests.Case> cases = MalformedRequests.all().stream()
                .filter(c -> c.layer() == MalformedRequests.Layer.READER).toList();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(50);
        return cases.stream();
    }
}
