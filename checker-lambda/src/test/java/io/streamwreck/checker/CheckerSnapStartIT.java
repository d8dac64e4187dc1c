package io.streamwreck.checker;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.lambda.LocalLambdaContext;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SnapStart hooks, called directly as the Lambda runtime would around a snapshot, against the real Redis of
 * the local stack: before the checkpoint the handler's connections are gone from Redis's client list; after the
 * restore it has new ones and answers from the ledger; priming wrote nothing to Redis.
 */
@WithLocalStack
class CheckerSnapStartIT {

    private static final Scope SCOPE = new Scope("orders-snapstart", "billing");
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> redis;
    private static String redisUrl;

    @BeforeAll
    static void connect(LocalStack stack) {
        redisUrl = stack.endpoints().redis().toString();
        try (RedisLedger ledger = RedisLedger.connect(redisUrl, false, Duration.ofHours(1))) {
            LedgerScenario.record(ledger, SCOPE);
        }
        client = RedisClient.create(redisUrl);
        redis = client.connect();
    }

    @AfterAll
    static void close() {
        redis.close();
        client.shutdown();
    }

    @Test
    void beforeCheckpointClosesTheConnectionAndAfterRestoreOpensAWorkingOne() {
        int before = clients();
        try (CheckerHandler handler = new CheckerHandler(Map.of("REDIS_URL", redisUrl, "STREAM_NAME", SCOPE.stream(),
                "APP_NAME", SCOPE.app()))) {
            assertThat(handler.connected()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> clients() > before);
            int connected = clients();
            APIGatewayProxyResponseEvent first = handler.handleRequest(reconcile(), context());

            handler.beforeCheckpoint(null);
            assertThat(handler.connected()).isFalse();
            await().atMost(Duration.ofSeconds(5)).until(() -> clients() == before);

            handler.afterRestore(null);
            assertThat(handler.connected()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> clients() == connected);

            APIGatewayProxyResponseEvent restored = handler.handleRequest(reconcile(), context());
            assertThat(restored.getStatusCode()).isEqualTo(200);
            assertThat(restored.getBody()).isEqualTo(first.getBody()).contains("\"Checked\":2");
        }
        assertThat(redis.sync().keys("*priming*")).isEmpty();
    }

    @Test
    void aHandlerRestoredWithoutAConnectionConnectsOnItsNextRequest() {
        try (CheckerHandler handler = new CheckerHandler(Map.of("REDIS_URL", redisUrl, "STREAM_NAME", SCOPE.stream(),
                "APP_NAME", SCOPE.app()))) {
            handler.beforeCheckpoint(null);
            assertThat(handler.connected()).isFalse();
            assertThat(handler.handleRequest(reconcile(), context()).getStatusCode()).isEqualTo(200);
            assertThat(handler.connected()).isTrue();
        }
    }

    private static APIGatewayProxyRequestEvent reconcile() {
        return new APIGatewayProxyRequestEvent().withHttpMethod("POST").withPath("/reconcile").withResource("/reconcile")
                .withBody("[\"" + LedgerScenario.k0(0) + "\",\"" + LedgerScenario.k0(4) + "\"]");
    }

    private static int clients() {
        return (int) redis.sync().clientList().lines().filter(l -> !l.isBlank()).count();
    }

    private static LocalLambdaContext context() {
        return new LocalLambdaContext("checker-snapstart-it", UUID.randomUUID().toString(), Duration.ofSeconds(29));
    }
}
