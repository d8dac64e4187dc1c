package io.streamwreck.notified;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
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
 * restore it has new ones and records notices; priming recorded nothing.
 */
@WithLocalStack
class NotifiedSnapStartIT {

    private static RedisClient client;
    private static StatefulRedisConnection<String, String> redis;
    private static String redisUrl;

    @BeforeAll
    static void connect(LocalStack stack) {
        redisUrl = stack.endpoints().redis().toString();
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
        try (NotifiedHandler handler = new NotifiedHandler(Map.of("REDIS_URL", redisUrl, "LEDGER_TTL", "1h"))) {
            assertThat(handler.connected()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> clients() > before);
            int connected = clients();

            handler.beforeCheckpoint(null);
            assertThat(handler.connected()).isFalse();
            await().atMost(Duration.ofSeconds(5)).until(() -> clients() == before);

            handler.afterRestore(null);
            assertThat(handler.connected()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> clients() == connected);

            Scope scope = TestNotices.freshScope("snapstart");
            InvocationSummary summary = handler.handleRequest(SnsEvents.of(TestNotices.notice(scope, TestNotices.keys(0, 0, 5))), context());
            assertThat(summary.keysRecorded()).isEqualTo(5);
        }
        // Priming decoded its fixtures only: nothing of its scope reached the ledger.
        assertThat(redis.sync().keys("*priming*")).isEmpty();
    }

    @Test
    void aHandlerCheckpointedTwiceAndRestoredWithoutAConnectionConnectsOnItsNextInvocation() {
        try (NotifiedHandler handler = new NotifiedHandler(Map.of("REDIS_URL", redisUrl))) {
            handler.beforeCheckpoint(null);
            handler.beforeCheckpoint(null);
            assertThat(handler.connected()).isFalse();
            Scope scope = TestNotices.freshScope("snapstart-lazy");
            InvocationSummary summary = handler.handleRequest(SnsEvents.of(TestNotices.notice(scope, TestNotices.keys(0, 0, 3))), context());
            assertThat(summary.keysRecorded()).isEqualTo(3);
            assertThat(handler.connected()).isTrue();
        }
    }

    private static int clients() {
        return (int) redis.sync().clientList().lines().filter(l -> !l.isBlank()).count();
    }

    private static LocalLambdaContext context() {
        return new LocalLambdaContext("notified-snapstart-it", UUID.randomUUID().toString(), Duration.ofSeconds(30));
    }
}
