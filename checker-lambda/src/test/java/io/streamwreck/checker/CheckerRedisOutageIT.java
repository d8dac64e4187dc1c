package io.streamwreck.checker;

import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.lambda.ApiGatewayServer;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.streamwreck.checker.LedgerScenario.k0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis frozen with SIGSTOP — reachable but silent, the worst kind of outage: the checker answers 503 within the
 * request timeout (not 504, not 500, no stack trace), and 200 again once Redis is back.
 */
@WithLocalStack
class CheckerRedisOutageIT {

    private static final Scope SCOPE = new Scope("orders-outage", "billing");
    /** API Gateway's timeout: the checker must answer before it. */
    private static final Duration REQUEST_TIMEOUT = ApiGatewayServer.DEFAULT_TIMEOUT;
    private static RedisLedger ledger;
    private static ApiGatewayServer server;
    private static CheckerClient client;

    @BeforeAll
    static void serve(LocalStack stack) {
        String redis = stack.endpoints().redis().toString();
        ledger = RedisLedger.connect(redis, false, Duration.ofHours(1));
        LedgerScenario.record(ledger, SCOPE);
        server = ApiGatewayServer.fromClassPath("checker-outage", CheckerHandler.class.getName(),
                Map.of("REDIS_URL", redis, "STREAM_NAME", SCOPE.stream(), "APP_NAME", SCOPE.app())).start(0);
        client = new CheckerClient(server.url());
    }

    @AfterAll
    static void close() {
        server.close();
        ledger.close();
    }

    @Test
    void aFrozenLedgerIs503WithinTheTimeoutAnd200OnceItIsBack(LocalStack stack) {
        String body = "[\"" + k0(0) + "\",\"" + k0(4) + "\"]";
        assertThat(client.post("/reconcile", body).status()).isEqualTo(200);

        CheckerClient.Answer reconcile;
        CheckerClient.Answer health;
        long began = System.nanoTime();
        stack.pauseRedis();
        try {
            // Both at once: each waits out the ledger's command timeout.
            CompletableFuture<CheckerClient.Answer> reconciling = CompletableFuture.supplyAsync(() -> client.post("/reconcile", body));
            CompletableFuture<CheckerClient.Answer> checking = CompletableFuture.supplyAsync(() -> client.get("/health"));
            reconcile = reconciling.join();
            health = checking.join();
        } finally {
            stack.resumeRedis();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        assertThat(reconcile.status()).as(reconcile.text()).isEqualTo(503);
        assertThat(reconcile.json().get("Error").asText()).isEqualTo("LedgerUnavailable");
        assertThat(reconcile.json().get("Message").asText()).isEqualTo("the ledger (Redis) did not answer; try again shortly");
        assertThat(reconcile.header("Retry-After")).isEqualTo("5");
        assertThat(reconcile.text()).doesNotContain("Exception").doesNotContain("redis://");
        assertThat(health.status()).isEqualTo(503);
        assertThat(took).isLessThan(REQUEST_TIMEOUT);

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.send("POST", "/reconcile", Map.of(), body.getBytes(StandardCharsets.UTF_8)).status() == 200);
        CheckerClient.Answer after = client.post("/reconcile", body);
        assertThat(after.json().get("Skipped").get(0).asText()).isEqualTo(k0(4));
        assertThat(client.get("/health").status()).isEqualTo(200);
    }
}
