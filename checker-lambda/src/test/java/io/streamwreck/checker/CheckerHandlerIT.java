package io.streamwreck.checker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.DeliveredBatch;
import io.streamwreck.core.notice.Notice;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.lambda.LocalLambdaContext;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.streamwreck.checker.LedgerScenario.SHARD_0_ID;
import static io.streamwreck.checker.LedgerScenario.SHARD_1_ID;
import static io.streamwreck.checker.LedgerScenario.SHARD_2_ID;
import static io.streamwreck.checker.LedgerScenario.k0;
import static io.streamwreck.checker.LedgerScenario.k1;
import static io.streamwreck.checker.LedgerScenario.s0;
import static io.streamwreck.checker.LedgerScenario.s1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handler as Lambda calls it — raw API Gateway events from {@code events/}, bound with Jackson — against a
 * real Redis ledger filled through real notices ({@link LedgerScenario}).
 */
@WithLocalStack
class CheckerHandlerIT {

    private static final String FUNCTION = "checker-handler-it";
    private static RedisLedger ledger;
    private static CheckerHandler handler;

    @BeforeAll
    static void recordTheScenario(LocalStack stack) {
        String redis = stack.endpoints().redis().toString();
        ledger = RedisLedger.connect(redis, false, Duration.ofHours(1));
        LedgerScenario.record(ledger, new Scope("orders", "billing"));
        LedgerScenario.record(ledger, new Scope("payments", "audit"));
        // The constructor the local runtime uses: the function's environment, as the template would set it.
        handler = new CheckerHandler(Map.of("REDIS_URL", redis, "STREAM_NAME", "orders", "APP_NAME", "billing"));
    }

    @AfterAll
    static void close() {
        handler.close();
        ledger.close();
    }

    @Test
    void theSeedsBareNumbersAreClassifiedAcrossTheShards() {
        APIGatewayProxyResponseEvent response = invoke(Fixtures.event("reconcile-seed-bare-numbers.json"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json");
        assertThat(Fixtures.parse(response.getBody())).isEqualTo(answer(7, 2,
                List.of(s0(4), s0(9), "1"), List.of(s0(4)), List.of(s0(9), "1"),
                List.of(duplicate(s0(2), 2)),
                List.of(Map.of("Key", s0(1), "Shards", List.of(SHARD_0_ID, SHARD_1_ID))),
                "orders", "billing"));
    }

    @Test
    void qualifiedKeysAreClassifiedAndEchoedAsAsked() {
        APIGatewayProxyResponseEvent response = invoke(Fixtures.event("reconcile-qualified-keys.json"));

        String skippedUserRecord = SHARD_1_ID + ":" + s1(6) + ":2";
        String unknownShard = SHARD_2_ID + ":" + s0(0);
        assertThat(response.getStatusCode()).isEqualTo(200);
        // 11 keys asked, one of them twice: 10 checked.
        assertThat(Fixtures.parse(response.getBody())).isEqualTo(answer(10, 3,
                List.of(k0(4), k0(6), k0(9), skippedUserRecord, unknownShard),
                List.of(k0(4), k0(6), skippedUserRecord),
                List.of(k0(9), unknownShard),
                List.of(duplicate(k0(2), 2), duplicate(k0(3), 3)),
                List.of(), "orders", "billing"));
    }

    @Test
    void theObjectFormNamesItsOwnScope() {
        APIGatewayProxyResponseEvent response = invoke(Fixtures.event("reconcile-object-form.json"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(Fixtures.parse(response.getBody())).isEqualTo(answer(4, 2,
                List.of(k0(8)), List.of(), List.of(k0(8)), List.of(duplicate(k0(3), 3)), List.of(), "payments", "audit"));
    }

    @Test
    void aScopeWithNoRecordsHasEveryKeyUndelivered() {
        APIGatewayProxyRequestEvent event = Fixtures.event("reconcile-object-form.json")
                .withBody("{\"Stream\":\"payments\",\"Application\":\"nobody-" + UUID.randomUUID() + "\",\"Keys\":[\""
                        + k0(0) + "\",\"" + k0(3) + "\"]}");

        JsonNode answer = Fixtures.parse(invoke(event).getBody());

        assertThat(answer.get("Undelivered")).isEqualTo(Fixtures.tree(List.of(k0(0), k0(3))));
        assertThat(answer.get("Unprocessed")).isEqualTo(Fixtures.tree(List.of(k0(0), k0(3))));
        assertThat(answer.get("Processed").asInt()).isZero();
    }

    @Test
    void anEmptyListIsAnsweredWithEveryListPresent() {
        APIGatewayProxyResponseEvent response = invoke(Fixtures.event("reconcile-empty-array.json"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(Fixtures.parse(response.getBody())).isEqualTo(answer(0, 0, List.of(), List.of(), List.of(), List.of(),
                List.of(), "orders", "billing"));
    }

    @Test
    void healthSaysTheLedgerAnswersAndNamesTheDefaultScope() {
        APIGatewayProxyResponseEvent response = invoke(Fixtures.event("health.json"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(Fixtures.parse(response.getBody()))
                .isEqualTo(Fixtures.tree(Map.of("Status", "ok", "Stream", "orders", "Application", "billing")));
    }

    @Test
    void aBodyThatIsNotUtf8IsRefusedNamingTheByte() {
        APIGatewayProxyResponseEvent response = invoke(Fixtures.event("reconcile-invalid-utf8-base64.json"));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(Fixtures.parse(response.getBody())).isEqualTo(Fixtures.tree(Map.of("Error", "InvalidUtf8",
                "Message", "the body is not valid UTF-8: byte 0xC3 at offset 2 does not begin or continue a character; "
                        + "send the JSON as UTF-8 text")));
    }

    @Test
    void theWrongMethodIs405WithAllow() {
        APIGatewayProxyResponseEvent response = invoke(Fixtures.event("reconcile-wrong-method.json"));

        assertThat(response.getStatusCode()).isEqualTo(405);
        assertThat(response.getHeaders()).containsEntry("Allow", "POST");
        assertThat(Fixtures.parse(response.getBody()).get("Error").asText()).isEqualTo("MethodNotAllowed");
    }

    @Test
    void anUnknownPathBehindAProxyResourceIs404() {
        APIGatewayProxyResponseEvent response = invoke(Fixtures.event("unknown-path-proxy.json"));

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(Fixtures.parse(response.getBody()).get("Message").asText())
                .isEqualTo("no resource \"/reconcile-all\"; the checker serves POST /reconcile and GET /health");
    }

    @Test
    void bareNumbersNeedingTooManyLookupsAreRefusedWith413() {
        // 51 shards × 50,000 numbers = 2,550,000 lookups, over the 2,500,000 a request may make.
        Scope wide = new Scope("wide-stream", "billing");
        for (int shard = 0; shard < 51; shard++) {
            String shardId = String.format("shardId-%012d", shard);
            ledger.record(new Notice(Notice.VERSION, UUID.randomUUID().toString(), wide.stream(), wide.app(), shardId, "w",
                    new DeliveredBatch("1", "1", 1), List.of(RecordKey.of(shardId, "1")), Instant.now()));
        }
        String numbers = new String(MalformedRequests.keys(50_000), StandardCharsets.UTF_8);
        APIGatewayProxyRequestEvent event = Fixtures.event("reconcile-object-form.json")
                .withBody("{\"Stream\":\"wide-stream\",\"Application\":\"billing\",\"Keys\":" + numbers + "}");

        APIGatewayProxyResponseEvent response = invoke(event);

        assertThat(response.getStatusCode()).isEqualTo(413);
        JsonNode error = Fixtures.parse(response.getBody());
        assertThat(error.get("Error").asText()).isEqualTo("TooManyLookups");
        assertThat(error.get("Message").asText()).contains("50000 numbers × 51 shards = 2550000 lookups, at most 2500000");
    }

    @Test
    void anAnswerTooLargeForLambdaIsRefusedWith413InsteadOfFailing() {
        // 50,000 keys of a shard nobody recorded: every one is listed twice (Unprocessed, Undelivered), ~8 MB.
        StringBuilder keys = new StringBuilder("[");
        for (int i = 1; i <= 50_000; i++) {
            keys.append(i == 1 ? "\"" : ",\"").append(SHARD_2_ID).append(':').append(s0(0), 0, 40).append(i).append('"');
        }
        APIGatewayProxyResponseEvent response = invoke(Fixtures.event("reconcile-qualified-keys.json").withBody(keys.append(']').toString()));

        assertThat(response.getStatusCode()).isEqualTo(413);
        JsonNode error = Fixtures.parse(response.getBody());
        assertThat(error.get("Error").asText()).isEqualTo("ResultTooLarge");
        assertThat(error.get("Message").asText()).contains("these 50000 keys lists 50000 of them")
                .contains("send fewer keys per request");
    }

    @Test
    void eachRequestIsLoggedAsOneJsonLineWithoutKeysOrSecrets() {
        Logger lambdaLog = (Logger) LoggerFactory.getLogger(LocalLambdaContext.LOGGER_PREFIX + FUNCTION);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        lambdaLog.addAppender(lines);
        Level quiet = lambdaLog.getLevel();
        lambdaLog.setLevel(Level.INFO);
        try {
            String requestId = UUID.randomUUID().toString();
            handler.handleRequest(Fixtures.event("reconcile-qualified-keys.json"),
                    new LocalLambdaContext(FUNCTION, requestId, Duration.ofSeconds(29)));

            assertThat(lines.list).hasSize(1);
            String line = lines.list.get(0).getFormattedMessage();
            JsonNode logged = Fixtures.parse(line);
            assertThat(logged.get("requestId").asText()).isEqualTo(requestId);
            assertThat(logged.get("status").asInt()).isEqualTo(200);
            assertThat(logged.get("form").asText()).isEqualTo("qualified");
            assertThat(logged.get("keys").asInt()).isEqualTo(10);
            assertThat(logged.get("skipped").asInt()).isEqualTo(3);
            assertThat(line).doesNotContain(s0(0)).doesNotContain("redis://");
        } finally {
            lambdaLog.setLevel(quiet);
            lambdaLog.detachAppender(lines);
        }
    }

    private static APIGatewayProxyResponseEvent invoke(APIGatewayProxyRequestEvent event) {
        APIGatewayProxyResponseEvent response = handler.handleRequest(event,
                new LocalLambdaContext(FUNCTION, UUID.randomUUID().toString(), Duration.ofSeconds(29)));
        assertThat(response.getBody()).doesNotContain("Exception").doesNotContain("\tat ");
        return response;
    }

    static Map<String, Object> duplicate(String key, int count) {
        return Map.of("Key", key, "Count", count);
    }

    static JsonNode answer(int checked, int processed, List<String> unprocessed, List<String> skipped,
                           List<String> undelivered, List<?> duplicated, List<?> ambiguous, String stream, String app) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("Checked", checked);
        a.put("Unprocessed", unprocessed);
        a.put("Skipped", skipped);
        a.put("Undelivered", undelivered);
        a.put("Duplicated", duplicated);
        a.put("Ambiguous", ambiguous);
        a.put("Pending", List.of());
        a.put("Processed", processed);
        a.put("Stream", stream);
        a.put("Application", app);
        if (checked > 0) {
            // These handlers have no DynamoDB to read lease tables from: the ledger's statuses stand, and the answer says so.
            a.put("Evidence", "no lease tables are read by this checker (no AWS_REGION or AWS_ENDPOINT_URL_DYNAMODB): "
                    + "judged by the settle window alone");
        }
        a.put("Checkpoints", Map.of());
        return Fixtures.tree(a);
    }
}
