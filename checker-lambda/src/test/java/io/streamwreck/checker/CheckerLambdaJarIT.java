package io.streamwreck.checker;

import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.lambda.ApiGatewayServer;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.streamwreck.checker.LedgerScenario.k0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment package itself — {@code target/checker-lambda.jar}, built by {@code package} before the
 * integration tests run — loaded by class name in a class loader of its own, with its own Jackson, lettuce and
 * Netty, as Lambda would run it.
 */
@WithLocalStack
class CheckerLambdaJarIT {

    private static final Path JAR = Path.of("target/checker-lambda.jar");

    @Test
    void theShadedJarServesReconcileAndHealth(LocalStack stack) {
        assertThat(JAR).as("the deployment package (mvn package builds it)").exists();
        String redis = stack.endpoints().redis().toString();
        Scope scope = new Scope("orders-jar", "billing");
        try (RedisLedger ledger = RedisLedger.connect(redis, false, Duration.ofHours(1));
             ApiGatewayServer server = ApiGatewayServer.fromDeploymentPackage("checker-jar", JAR,
                     "io.streamwreck.checker.CheckerHandler",
                     Map.of("REDIS_URL", redis, "STREAM_NAME", scope.stream(), "APP_NAME", scope.app())).start(0)) {
            LedgerScenario.record(ledger, scope);
            CheckerClient client = new CheckerClient(server.url());

            CheckerClient.Answer answer = client.post("/reconcile", "[\"" + k0(0) + "\",\"" + k0(6) + "\",\"" + k0(10) + "\"]");

            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            assertThat(answer.json().get("Skipped")).isEqualTo(Fixtures.tree(List.of(k0(6))));
            assertThat(answer.json().get("Undelivered")).isEqualTo(Fixtures.tree(List.of(k0(10))));
            assertThat(client.get("/health").status()).isEqualTo(200);
            assertThat(client.post("/reconcile", "[4]").status()).isEqualTo(400);
        }
    }

    @Test
    void theJarIsSmallEnoughForLambda() throws Exception {
        // Lambda takes a zipped deployment package of up to 50 MB for direct upload.
        assertThat(Files.size(JAR)).isLessThan(50L * 1024 * 1024);
    }
}
