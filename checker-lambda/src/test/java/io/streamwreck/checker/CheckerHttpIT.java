package io.streamwreck.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.lambda.ApiGatewayServer;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.streamwreck.checker.LedgerScenario.SHARD_0_ID;
import static io.streamwreck.checker.LedgerScenario.SHARD_1_ID;
import static io.streamwreck.checker.LedgerScenario.k0;
import static io.streamwreck.checker.LedgerScenario.k1;
import static io.streamwreck.checker.LedgerScenario.s0;
import static io.streamwreck.checker.LedgerScenario.s1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The checker served over HTTP as {@code make up} serves it: {@link ApiGatewayServer} loads
 * {@code io.streamwreck.checker.CheckerHandler} by name with the function's environment, and every request
 * becomes the API Gateway proxy event AWS would send.
 */
@WithLocalStack
class CheckerHttpIT {

    private static final Scope SCOPE = new Scope("orders-http", "billing");
    private static RedisLedger ledger;
    private static ApiGatewayServer server;
    private static CheckerClient client;

    @BeforeAll
    static void serve(LocalStack stack) {
        String redis = stack.endpoints().redis().toString();
        ledger = RedisLedger.connect(redis, false, Duration.ofHours(1));
        LedgerScenario.record(ledger, SCOPE);
        server = ApiGatewayServer.fromClassPath("checker", "io.streamwreck.checker.CheckerHandler",
                Map.of("REDIS_URL", redis, "STREAM_NAME", SCOPE.stream(), "APP_NAME", SCOPE.app())).start(0);
        client = new CheckerClient(server.url());
    }

    @AfterAll
    static void close() {
        server.close();
        ledger.close();
    }

    @Test
    void theSeedsCurlWorksUnchanged(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")) || Files.isExecutable(Path.of("/bin/curl")), "curl is installed");
        Path out = dir.resolve("answer.json");
        // The seed's request, byte for byte: curl's -d makes it a form-encoded POST.
        Process curl = new ProcessBuilder("curl", "-s", "-S", "-o", out.toString(), "-w", "%{http_code}",
                server.url() + "/reconcile", "-d", "[\"" + s0(0) + "\", \"" + s0(4) + "\", \"" + s0(9) + "\"]")
                .redirectErrorStream(true).start();
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).as("curl finished").isTrue();
        String status = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(status).isEqualTo("200");
        JsonNode answer = Fixtures.parse(Files.readString(out));
        assertThat(answer.get("Unprocessed")).isEqualTo(Fixtures.tree(List.of(s0(4), s0(9))));
        assertThat(answer.get("Checked").asInt()).isEqualTo(3);
    }

    @Test
    void allThreeShapesAreAnsweredOverHttp() {
        CheckerClient.Answer bare = client.post("/reconcile", "[\"" + s0(1) + "\",\"" + s0(3) + "\",\"" + s1(2) + "\"]");
        CheckerClient.Answer qualified = client.post("/reconcile", "[\"" + k0(6) + "\",\"" + k1(2) + "\"]");
        CheckerClient.Answer object = client.post("/reconcile", "{\"Stream\":\"orders-http\",\"Application\":\"billing\","
                + "\"Keys\":[\"" + k0(3) + "\"]}");

        assertThat(bare.status()).isEqualTo(200);
        assertThat(bare.header("Content-Type")).isEqualTo("application/json");
        assertThat(bare.json().get("Ambiguous")).isEqualTo(Fixtures.tree(List.of(Map.of("Key", s0(1), "Shards", List.of(SHARD_0_ID, SHARD_1_ID)))));
        assertThat(bare.json().get("Duplicated")).isEqualTo(Fixtures.tree(List.of(Map.of("Key", s0(3), "Count", 3))));
        assertThat(bare.json().get("Processed").asInt()).isEqualTo(1);
        assertThat(qualified.json().get("Skipped")).isEqualTo(Fixtures.tree(List.of(k0(6))));
        assertThat(qualified.json().get("Processed").asInt()).isEqualTo(1);
        assertThat(object.json().get("Duplicated")).isEqualTo(Fixtures.tree(List.of(Map.of("Key", k0(3), "Count", 3))));
    }

    @Test
    void healthAnswersOverHttp() {
        CheckerClient.Answer health = client.get("/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("Status").asText()).isEqualTo("ok");
        assertThat(health.header("x-amzn-RequestId")).isNotBlank();
    }

    @Test
    void concurrentRequestsGetConsistentAnswers() {
        String body = "[\"" + k0(0) + "\",\"" + k0(2) + "\",\"" + k0(4) + "\",\"" + k0(9) + "\"]";
        List<CompletableFuture<CheckerClient.Answer>> calls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            calls.add(client.http().sendAsync(client.request("POST", "/reconcile", Map.of(), body.getBytes(StandardCharsets.UTF_8)),
                    client::answer).thenApply(r -> r.body()));
        }
        List<String> answers = calls.stream().map(CompletableFuture::join).map(a -> a.status() + " " + a.text()).distinct().toList();

        assertThat(answers).hasSize(1);
        assertThat(answers.get(0)).startsWith("200 {\"Checked\":4,\"Unprocessed\":[\"" + k0(4) + "\",\"" + k0(9) + "\"]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.streamwreck.checker.MalformedRequests#all")
    void malformedRequestsAre4xxWithAClearMessageAndTheServerStaysUp(MalformedRequests.Case c) throws IOException {
        CheckerClient.Answer answer = client.send(c.method(), c.path(), c.headers(), c.body());

        assertThat(answer.status()).as(answer.text()).isEqualTo(c.status());
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        JsonNode error = answer.json();
        assertThat(error.get("Error").asText()).isEqualTo(c.error());
        assertThat(error.get("Message").asText()).contains(c.messagePart());
        assertThat(answer.text()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("io.streamwreck");
        if (c.status() == 405) {
            assertThat(answer.header("Allow")).isIn("POST", "GET");
        }
        assertThat(client.get("/health").status()).as("the server still answers").isEqualTo(200);
    }
}
