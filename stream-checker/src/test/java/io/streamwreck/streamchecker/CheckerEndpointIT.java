package io.streamwreck.streamchecker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.lambda.ApiGatewayServer;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --endpoint}: the checker Lambda served from its deployment jar over HTTP, as {@code make up} does, gives
 * the same report as asking the ledger directly.
 */
@WithLocalStack
class CheckerEndpointIT {

    private static final Path CHECKER_JAR = Path.of("../checker-lambda/target/checker-lambda.jar");
    private static final String HANDLER = "io.streamwreck.checker.CheckerHandler::handleRequest";
    private static final String S0 = "shardId-000000000000";
    private static final String S1 = "shardId-000000000001";
    private static final String S2 = "shardId-000000000002";

    private static RedisLedger ledger;
    private static ApiGatewayServer checker;
    private static String redis;

    @BeforeAll
    static void start(LocalStack stack) {
        assertThat(CHECKER_JAR).as("the checker's deployment jar (mvn install -pl checker-lambda)").isRegularFile();
        redis = stack.endpoints().redis().toString();
        ledger = RedisLedger.connect(redis, false, Duration.ofHours(1));
        // No default scope: every request names its stream and application.
        checker = ApiGatewayServer.fromDeploymentPackage("checker-lambda", CHECKER_JAR, HANDLER, Map.of("REDIS_URL", redis)).start(0);
    }

    @AfterAll
    static void stop() {
        checker.close();
        ledger.close();
    }

    @Test
    void theCheckerApiAndTheLedgerGiveIdenticalReports(LocalStack stack) {
        TestStream stream = TestStream.create(stack, "modes", 3);
        TestLedger notices = new TestLedger(ledger, new Scope(stream.name(), "billing"));
        List<RecordKey> a = stream.putPlain(S0, 40);
        List<RecordKey> b = stream.putAggregated(S1, 7);
        List<RecordKey> c = stream.putPlain(S2, 5);
        notices.notice(a.subList(0, 30), a.subList(0, 28));
        notices.notice(a.subList(10, 12), a.subList(10, 12));
        notices.notice(b, b.subList(2, 7));
        notices.processedOnce(c);

        // Batches of 7 keys: several requests per shard, and one aggregated record split across two of them.
        CheckerRun direct = CheckerRun.run(stack, "--stream", stream.name(), "--app", "billing", "--redis", redis,
                "--settle", "0s", "--format", "json", "--batch", "7");
        CheckerRun viaApi = CheckerRun.run(stack, "--stream", stream.name(), "--app", "billing", "--endpoint", checker.url().toString(),
                "--settle", "0s", "--format", "json", "--batch", "7");

        assertThat(direct.exitCode()).as(direct.stderr()).isEqualTo(1);
        assertThat(viaApi.exitCode()).as(viaApi.stderr()).isEqualTo(1);
        // a: 2 skipped, 10 undelivered, 2 duplicated; b: 2 skipped user records.
        assertThat(direct.report().get("Drift").asLong()).isEqualTo(2 + 10 + 2 + 2);
        assertThat(viaApi.report()).isEqualTo(direct.report());
    }

    @Test
    void withoutAnApplicationTheCheckerUsesItsDefaultAndNamesIt(LocalStack stack) throws Exception {
        TestStream stream = TestStream.create(stack, "default-app", 1);
        new TestLedger(ledger, new Scope(stream.name(), "orders-app")).processedOnce(stream.putPlain(S0, 3));
        try (ApiGatewayServer withDefault = ApiGatewayServer.fromDeploymentPackage("checker-lambda", CHECKER_JAR, HANDLER,
                Map.of("REDIS_URL", redis, "APP_NAME", "orders-app")).start(0)) {

            CheckerRun run = CheckerRun.run(stack, "--stream", stream.name(), "--endpoint", withDefault.url().toString(),
                    "--settle", "0s", "--format", "json");

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.report().get("Application").asText()).isEqualTo("orders-app");
            assertThat(run.report().get("Total").get("Processed").asLong()).isEqualTo(3);
        }
    }

    @Test
    void aCheckerWhoseLedgerIsDownIsRetriedThenExitTwo(LocalStack stack) throws Exception {
        TestStream stream = TestStream.create(stack, "ledger-down", 1);
        stream.putPlain(S0, 2);
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (ApiGatewayServer broken = ApiGatewayServer.fromDeploymentPackage("checker-lambda", CHECKER_JAR, HANDLER,
                Map.of("REDIS_URL", "redis://127.0.0.1:" + closedPort)).start(0)) {

            CheckerRun run = CheckerRun.run(stack, "--stream", stream.name(), "--app", "billing", "--endpoint", broken.url().toString(),
                    "--settle", "0s");

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.stderr().lines()).singleElement().asString()
                    .startsWith("error: the checker at " + broken.url() + " did not answer after 5 attempts: 503 LedgerUnavailable:");
            assertThat(run.stdout()).isEmpty();
        }
    }

    @Test
    void aUrlThatIsNotTheCheckersIsRefusedWithTheServersMessage(LocalStack stack) {
        TestStream stream = TestStream.create(stack, "refused", 1);
        stream.putPlain(S0, 1);

        // A URL that is not the checker's: refused before any shard is read, with the server's own message.
        CheckerRun run = CheckerRun.run(stack, "--stream", stream.name(), "--app", "billing", "--endpoint",
                checker.url() + "/nowhere", "--settle", "0s");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr().lines()).singleElement().asString()
                .startsWith("error: the checker at " + checker.url() + "/nowhere answered GET /health with 404: NotFound:");
    }
}
