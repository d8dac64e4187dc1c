package io.streamwreck.notified;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.streamwreck.core.RecordKey;
import io.streamwreck.core.config.ConfigException;
import io.streamwreck.core.notice.Notice;
import io.streamwreck.core.notice.NoticeCodec;
import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.KeyStatus;
import io.streamwreck.ledger.LedgerUnavailableException;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.lambda.LocalLambdaContext;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The handler against the real Redis of the local stack, fed SNS events built in-process and from fixtures. */
@WithLocalStack
class NotifiedHandlerIT {

    private static final String NAMESPACE = "streamwreck-test";
    private static RedisLedger ledger;
    private static NotifiedHandler handler;
    private static String redisUrl;

    @BeforeAll
    static void connect(LocalStack stack) {
        redisUrl = stack.endpoints().redis().toString();
        ledger = RedisLedger.connect(redisUrl, false, Duration.ofHours(1));
        handler = new NotifiedHandler(ledger, NoticeMetrics.powertools(NAMESPACE, "notified-lambda"));
    }

    @AfterAll
    static void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    @Test
    void theKeysOfAValidNoticeAreInTheLedger() {
        LocalLambdaContext context = context();
        AtomicReference<InvocationSummary> summary = new AtomicReference<>();
        List<JsonNode> emf = FunctionOutput.emfDuring(() -> summary.set(handler.handleRequest(SnsEvents.fixture("sns-notice.json"), context)));

        assertThat(summary.get()).isEqualTo(new InvocationSummary(1, 1, 0, 0, 4, 0));
        Notice notice = new NoticeCodec().decode(SnsEvents.fixture("sns-notice.json").getRecords().get(0).getSNS().getMessage());
        List<RecordKey> delivered = new ArrayList<>(notice.processed());
        RecordKey skipped = RecordKey.of(notice.shardId(), notice.batch().last());
        delivered.add(skipped);
        List<KeyStatus> statuses = ledger.classify(new Scope("fixture-orders", "billing"), delivered);
        assertThat(statuses.subList(0, 4)).allSatisfy(s -> {
            assertThat(s.classification()).isEqualTo(Classification.PROCESSED);
            assertThat(s.count()).isEqualTo(1);
        });
        assertThat(statuses.get(4).classification()).isEqualTo(Classification.SKIPPED);

        assertThat(emf).hasSize(1);
        JsonNode doc = emf.get(0);
        assertThat(doc.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(doc.get("Notices").asDouble()).isEqualTo(1);
        assertThat(doc.get("KeysRecorded").asDouble()).isEqualTo(4);
        assertThat(doc.get("DuplicatesSeen").asDouble()).isZero();
        assertThat(doc.get("MalformedNotices").asDouble()).isZero();
        assertThat(doc.get("Service").asText()).isEqualTo("notified-lambda");

        JsonNode summaryLine = logLine("notices recorded", context.getAwsRequestId());
        assertThat(summaryLine.get("level").asText()).isEqualTo("DEBUG");
        assertThat(summaryLine.get("keysRecorded").asInt()).isEqualTo(4);
        assertThat(summaryLine.get("function_name").asText()).isEqualTo("notified-it");
    }

    @Test
    void theSameNoticeDeliveredTwiceIsCountedOnce() {
        Scope scope = TestNotices.freshScope("twice");
        List<RecordKey> keys = TestNotices.keys(0, 0, 20);
        SNSEvent event = SnsEvents.of(TestNotices.notice(scope, keys));

        InvocationSummary first = handler.handleRequest(event, context());
        InvocationSummary again = handler.handleRequest(event, context());

        assertThat(first).isEqualTo(new InvocationSummary(1, 1, 0, 0, 20, 0));
        assertThat(again).isEqualTo(new InvocationSummary(1, 0, 1, 0, 0, 0));
        assertThat(ledger.classify(scope, keys)).allSatisfy(s -> {
            assertThat(s.classification()).isEqualTo(Classification.PROCESSED);
            assertThat(s.count()).isEqualTo(1);
        });
    }

    @Test
    void twoNoticesNamingTheSameKeysMakeThemDuplicated() {
        Scope scope = TestNotices.freshScope("dup");
        List<RecordKey> keys = TestNotices.keys(2, 100, 15);
        Notice first = TestNotices.notice(scope, keys.subList(0, 10));
        Notice replay = TestNotices.notice(scope, keys.subList(5, 15));

        handler.handleRequest(SnsEvents.of(first), context());
        InvocationSummary second = handler.handleRequest(SnsEvents.of(replay), context());

        assertThat(second.duplicatesSeen()).isEqualTo(5);
        assertThat(second.keysRecorded()).isEqualTo(10);
        List<KeyStatus> statuses = ledger.classify(scope, keys);
        assertThat(statuses.subList(0, 5)).extracting(KeyStatus::classification).containsOnly(Classification.PROCESSED);
        assertThat(statuses.subList(5, 10)).allSatisfy(s -> {
            assertThat(s.classification()).isEqualTo(Classification.DUPLICATED);
            assertThat(s.count()).isEqualTo(2);
        });
        assertThat(statuses.subList(10, 15)).extracting(KeyStatus::classification).containsOnly(Classification.PROCESSED);
    }

    @Test
    void malformedNoticesFailTheInvocationNamingEachAfterTheValidOnesAreRecorded() {
        SNSEvent event = SnsEvents.fixture("sns-notices-with-malformed.json");
        LocalLambdaContext context = context();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        List<JsonNode> emf = FunctionOutput.emfDuring(() -> thrown.set(catchThrowable(() -> handler.handleRequest(event, context))));

        assertThat(thrown.get()).isInstanceOf(MalformedNoticesException.class)
                .hasMessageStartingWith("3 of 5 notices malformed (the other 2 were recorded): ")
                .hasMessageContaining("SNS message 2c7f1d8b-4053-5e2f-9ba1-3d5c7e9f1023: unsupported notice version 3")
                .hasMessageContaining("SNS message 3d802e9c-5164-5f30-acb2-4e6d8f0a2134: the notice is not valid JSON")
                .hasMessageContaining("SNS message 4e913fad-6275-5041-bdc3-5f7e9a1b3245: processed[0] ");
        assertThat(((MalformedNoticesException) thrown.get()).malformed()).extracting(MalformedNotice::snsMessageId)
                .containsExactly("2c7f1d8b-4053-5e2f-9ba1-3d5c7e9f1023", "3d802e9c-5164-5f30-acb2-4e6d8f0a2134",
                        "4e913fad-6275-5041-bdc3-5f7e9a1b3245");

        Scope scope = new Scope("fixture-mixed", "billing");
        NoticeCodec codec = new NoticeCodec();
        Notice shard1 = codec.decode(event.getRecords().get(0).getSNS().getMessage());
        Notice shard4 = codec.decode(event.getRecords().get(4).getSNS().getMessage());
        assertThat(ledger.classify(scope, shard1.processed())).extracting(KeyStatus::classification).containsOnly(Classification.PROCESSED);
        assertThat(ledger.classify(scope, shard4.processed())).extracting(KeyStatus::classification).containsOnly(Classification.PROCESSED);
        assertThat(ledger.shards(scope)).containsExactly("shardId-000000000001", "shardId-000000000004");

        assertThat(emf).hasSize(1);
        assertThat(emf.get(0).get("MalformedNotices").asDouble()).isEqualTo(3);
        assertThat(emf.get(0).get("Notices").asDouble()).isEqualTo(5);
        assertThat(emf.get(0).get("KeysRecorded").asDouble()).isEqualTo(5);

        JsonNode error = FunctionOutput.logLines().stream()
                .filter(l -> "2c7f1d8b-4053-5e2f-9ba1-3d5c7e9f1023".equals(l.path("snsMessageId").asText())
                        && context.getAwsRequestId().equals(l.path("function_request_id").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no log line names the malformed message"));
        assertThat(error.get("level").asText()).isEqualTo("ERROR");
        assertThat(error.get("reason").asText()).contains("unsupported notice version 3");

        // Lambda retries the failed invocation: the valid notices are not counted again, the malformed fail again.
        assertThatThrownBy(() -> handler.handleRequest(event, context())).isInstanceOf(MalformedNoticesException.class);
        assertThat(ledger.classify(scope, shard1.processed())).extracting(KeyStatus::count).containsOnly(1L);
    }

    @Test
    void theFunctionBuiltFromItsEnvironmentRecordsWithTheConfiguredTtl() {
        Scope scope = TestNotices.freshScope("env");
        try (NotifiedHandler fromEnvironment = new NotifiedHandler(Map.of("REDIS_URL", redisUrl, "LEDGER_TTL", "2h",
                "POWERTOOLS_METRICS_NAMESPACE", NAMESPACE))) {
            InvocationSummary summary = fromEnvironment.handleRequest(SnsEvents.of(TestNotices.notice(scope, TestNotices.keys(1, 0, 3))), context());
            assertThat(summary.keysRecorded()).isEqualTo(3);
        }
        RedisClient client = RedisClient.create(redisUrl);
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            KeyScanCursor<String> keys = redis.sync().scan(ScanArgs.Builder.matches("*" + scope.stream() + "*").limit(10_000));
            assertThat(keys.getKeys()).isNotEmpty().allSatisfy(key ->
                    assertThat(redis.sync().ttl(key)).isBetween(Duration.ofHours(2).toSeconds() - 60, Duration.ofHours(2).toSeconds()));
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aFunctionThatCannotReachRedisOrHasNoRedisUrlFailsItsInit() {
        assertThatThrownBy(() -> new NotifiedHandler(Map.of("REDIS_URL", "redis://127.0.0.1:1")))
                .isInstanceOf(LedgerUnavailableException.class).hasMessageContaining("127.0.0.1:1");
        assertThatThrownBy(() -> new NotifiedHandler(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("REDIS_URL");
    }

    private static LocalLambdaContext context() {
        return new LocalLambdaContext("notified-it", UUID.randomUUID().toString(), Duration.ofSeconds(30));
    }

    private static JsonNode logLine(String message, String requestId) {
        return FunctionOutput.logLines().stream()
                .filter(l -> message.equals(l.path("message").asText()) && requestId.equals(l.path("function_request_id").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no \"" + message + "\" log line for request " + requestId));
    }
}
