package io.streamwreck.systemtests;

import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.standin.AwsClients;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code make run} and {@code make up} as a user runs them: {@code local.jar run} and {@code local.jar up}, each its own process. */
class LocalCommandsIT {

    private static final Path LOCAL_JAR = Path.of("../local/target/local.jar");

    @Test
    void runTellsTheWholeStoryAndFindsExactlyTheSimulatedDrift() throws Exception {
        Path dir = Path.of("target/make-run-" + System.nanoTime());
        Process run = new ProcessBuilder(java(List.of("run", "--records", "2000", "--log-files", "3", "--log-lines", "1000", "--checker-port", "0",
                "--state-dir", dir.toString(), "--repository", "..")))
                .redirectOutput(Files.createDirectories(dir).resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile()).start();
        try {
            assertThat(run.waitFor(4, TimeUnit.MINUTES)).as("local.jar run finished").isTrue();
        } finally {
            run.destroyForcibly();
        }

        String out = Files.readString(dir.resolve("stdout"));
        String err = Files.readString(dir.resolve("stderr"));
        assertThat(run.exitValue()).as("exit code; stderr:%n%s", err).isZero();
        // The producer's 2,000 records and the adapter's 3,000 log lines, one record each.
        assertThat(out).contains("total                  4 shards       5,000")
                .contains("writer (adapter database): 3000 lines staged", "  unwritten      0")
                .containsPattern("s3://logs/orders/2026/12/04/app-2\\.log\\.gz +1,000 +1,000 +[0-9,]+ +[0-9,]+")
                .contains("verdict: the drift found is exactly the drift simulated")
                .contains("every log line written")
                .doesNotContain("_aws"); // the Lambdas' EMF output goes to a log file, not into the report
        assertThat(err).contains("make run: writing 2000 records with producer.jar")
                .contains("make run: putting 3 log files of 1000 lines into S3");
        // The same report as a page, its path printed last.
        Path page = dir.resolve("report.html").toAbsolutePath();
        assertThat(out.strip()).endsWith("report page: " + page);
        assertThat(Files.readString(page)).contains("<h1 id=\"verdict\" class=\"drift\">", "id=\"streamwreck-report\"");
    }

    @Test
    void upLeavesTheSystemRunningUntilSigterm() throws Exception {
        Path dir = Path.of("target/make-up-" + System.nanoTime());
        Files.createDirectories(dir);
        Process up = new ProcessBuilder(java(List.of("up", "--state-dir", dir.toString(), "--checker-port", "0",
                "--repository", "..")))
                .redirectErrorStream(true).redirectOutput(dir.resolve("up.log").toFile()).start();
        try {
            Path env = dir.resolve("env");
            await("the env file").atMost(Duration.ofMinutes(2)).failFast(() -> !up.isAlive()).until(() -> Files.exists(env));
            Map<String, String> exports = evalInShell(env);
            assertThat(exports).containsKeys("CHECKER_URL", "TOPIC_ARN", "REDIS_URL", "AWS_ENDPOINT_URL_KINESIS")
                    .containsEntry("STREAM_NAME", "orders").containsEntry("APP_NAME", "billing");
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(exports.get("CHECKER_URL") + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(Files.list(dir.resolve("system")).map(p -> p.getFileName().toString()))
                    .contains("worker-1.log", "worker-2.log");
            lambdaConsumerReportsWhatItProcessed(exports);
        } finally {
            up.destroy(); // SIGTERM, as make down sends
            boolean stopped = up.waitFor(90, TimeUnit.SECONDS);
            up.destroyForcibly();
            assertThat(stopped).as("up stopped after SIGTERM").isTrue();
        }
        // Its stand-ins and workers stop with it; make test's bin/leftover-servers fails the build if any outlived it.
        assertThat(dir.resolve("env")).doesNotExist();
    }

    /**
     * The Lambda consumer make up runs (lambda-consumer.jar, loaded from its deployment jar as Lambda loads it, behind
     * the local event source mapping) reports what it processed: records put now are counted in the ledger under its
     * own application, {@code LAMBDA_APP_NAME}.
     */
    private static void lambdaConsumerReportsWhatItProcessed(Map<String, String> exports) {
        assertThat(exports).containsEntry("LAMBDA_APP_NAME", "billing-lambda").containsKey("LAMBDA_FAILURE_QUEUE_URL");
        List<RecordKey> put = new ArrayList<>();
        try (KinesisClient kinesis = AwsClients.kinesis(URI.create(exports.get("AWS_ENDPOINT_URL_KINESIS")))) {
            for (int i = 0; i < 20; i++) {
                int n = i;
                PutRecordResponse r = kinesis.putRecord(b -> b.streamName("orders").partitionKey("lambda-" + n)
                        .data(SdkBytes.fromUtf8String("for the Lambda consumer " + n)));
                put.add(RecordKey.of(r.shardId(), r.sequenceNumber()));
            }
        }
        Scope scope = new Scope("orders", "billing-lambda");
        try (RedisLedger ledger = RedisLedger.connect(exports.get("REDIS_URL"), false, Duration.ofHours(1))) {
            await("the Lambda consumer's notices for 20 records in the ledger").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> ledger.classify(scope, put).stream().allMatch(k -> k.classification() == Classification.PROCESSED));
        }
    }

    /** The variables a shell exports after {@code eval "$(cat env)"}, as the README tells users to run it. */
    private static Map<String, String> evalInShell(Path env) throws Exception {
        Process sh = new ProcessBuilder("sh", "-c", "eval \"$(cat \"$1\")\" && env -0", "sh", env.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = sh.getInputStream().readAllBytes();
        assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sh.exitValue()).as("eval of the env file").isZero();
        return Arrays.stream(new String(out, StandardCharsets.UTF_8).split("\0")).filter(e -> e.indexOf('=') > 0)
                .collect(Collectors.toMap(e -> e.substring(0, e.indexOf('=')), e -> e.substring(e.indexOf('=') + 1), (a, b) -> b));
    }

    private static List<String> java(List<String> args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", LOCAL_JAR.toString()));
        command.addAll(args);
        return command;
    }
}
