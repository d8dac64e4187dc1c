package io.streamwreck.streamchecker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.lambda.ApiGatewayServer;
import io.streamwreck.local.lambda.SigV4Verifier;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code java -jar stream-checker/target/stream-checker.jar}, the real shaded jar, configured by environment variables. */
@WithLocalStack
class StreamCheckerJarIT {

    private static final Path JAR = Path.of("target/stream-checker.jar");

    @TempDir
    Path dir;

    private record Run(int exitCode, String stdout, String stderr) {
    }

    private Run jar(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        for (String name : List.of("STREAM_NAME", "APP_NAME", "CHECKER_URL", "CHECKER_SIGN", "REDIS_URL", "REDIS_CLUSTER", "AWS_ENDPOINT_URL")) {
            builder.environment().remove(name);
        }
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("stream-checker.jar did not finish in 90 s");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void reportsDriftInTextWithExitOneTakingItsSettingsFromTheEnvironment(LocalStack stack) throws Exception {
        TestStream stream = TestStream.create(stack, "jar", 1);
        String redis = stack.endpoints().redis().toString();
        List<RecordKey> keys = stream.putPlain("shardId-000000000000", 6);
        try (RedisLedger ledger = RedisLedger.connect(redis, false, Duration.ofHours(1))) {
            TestLedger notices = new TestLedger(ledger, new Scope(stream.name(), "billing"));
            notices.notice(keys.subList(0, 5), List.of(keys.get(0), keys.get(1), keys.get(3), keys.get(4)));
            notices.notice(keys.subList(4, 5), keys.subList(4, 5));
        }
        // What `make up` exports (minus CHECKER_URL: --redis mode), plus the stream and application.
        Map<String, String> env = new java.util.HashMap<>(stack.endpoints().environment());
        env.put("STREAM_NAME", stream.name());
        env.put("APP_NAME", "billing");

        Run run = jar(env, "--settle", "0s");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stderr()).isEmpty();
        assertThat(run.stdout()).contains(
                "stream " + stream.name() + ", application billing: 1 shard from trim-horizon up to ",
                "shardId-000000000000   open               6           3           1         1            1          0",
                "drift: 3 records (1 duplicated, 1 skipped, 1 undelivered)",
                "  duplicated   " + keys.get(4) + "  processed 2 times",
                "  skipped      " + keys.get(2),
                "  undelivered  " + keys.get(5));
    }

    @Test
    void theJarSignsWithTheEnvironmentsCredentialsWhenCheckerSignIsSet(LocalStack stack) throws Exception {
        TestStream stream = TestStream.create(stack, "jar-signed", 1);
        String redis = stack.endpoints().redis().toString();
        List<RecordKey> keys = stream.putPlain("shardId-000000000000", 4);
        try (RedisLedger ledger = RedisLedger.connect(redis, false, Duration.ofHours(1))) {
            new TestLedger(ledger, new Scope(stream.name(), "billing")).processedOnce(keys);
        }
        // What `make up CHECKER_IAM=true` exports: the local credentials, CHECKER_URL of a checker that requires
        // signatures, CHECKER_SIGN=true.
        try (ApiGatewayServer checker = ApiGatewayServer.fromDeploymentPackage("checker-lambda",
                Path.of("../checker-lambda/target/checker-lambda.jar"), "io.streamwreck.checker.CheckerHandler::handleRequest",
                Map.of("REDIS_URL", redis)).requireSignatures(SigV4Verifier.forLocalStack()).start(0)) {
            Map<String, String> env = new java.util.HashMap<>(stack.endpoints().environment());
            env.put("STREAM_NAME", stream.name());
            env.put("APP_NAME", "billing");
            env.put("CHECKER_URL", checker.url().toString());
            env.put("CHECKER_SIGN", "true");
            env.remove("REDIS_URL");

            Run signed = jar(env, "--settle", "0s");
            Run unsigned = jar(env, "--settle", "0s", "--no-sign");
            env.put("AWS_SECRET_ACCESS_KEY", "not-the-local-secret");
            Run wrongSecret = jar(env, "--settle", "0s");

            assertThat(signed.exitCode()).as(signed.stderr()).isZero();
            assertThat(signed.stdout()).contains("shardId-000000000000   open               4           4");
            assertThat(unsigned.exitCode()).isEqualTo(2);
            assertThat(unsigned.stderr()).startsWith("error: not allowed to call GET " + checker.url() + "/health (403 Missing Authentication Token)")
                    .hasLineCount(1);
            assertThat(wrongSecret.exitCode()).isEqualTo(2);
            assertThat(wrongSecret.stderr()).startsWith("error: not allowed to call GET " + checker.url()
                    + "/health (403 The request signature we calculated does not match").hasLineCount(1);
        }
    }

    @Test
    void anUnknownStreamIsOneLineOnStderrAndExitTwo(LocalStack stack) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(stack.endpoints().environment());

        Run run = jar(env, "--stream", "no-such-stream", "--app", "billing", "--progress");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        // --progress draws on stderr with carriage returns; the error is the one line after it.
        List<String> lines = run.stderr().lines().filter(l -> !l.isBlank() && !l.contains("scanning")).toList();
        assertThat(lines).singleElement().asString().startsWith("error: ListShards of stream no-such-stream: ");
        assertThat(run.stderr()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void withBothCheckersInTheEnvironmentTheCheckerApiIsAskedAndStderrSaysSo(LocalStack stack) throws Exception {
        // What `eval "$(cat local/target/stack/env)"` leaves after make up: CHECKER_URL and REDIS_URL both set.
        TestStream stream = TestStream.create(stack, "both-env", 1);
        stream.putPlain("shardId-000000000000", 1);
        Map<String, String> env = new java.util.HashMap<>(stack.endpoints().environment());
        env.put("CHECKER_URL", "http://127.0.0.1:1");
        env.put("STREAM_NAME", stream.name());
        env.put("APP_NAME", "billing");

        Run run = jar(env, "--settle", "0s");

        // The checker at port 1 does not answer: the scan asked it, not Redis.
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr().lines()).satisfiesExactly(
                l -> assertThat(l).isEqualTo("using the checker API at http://127.0.0.1:1 (CHECKER_URL); REDIS_URL is set too: "
                        + "--redis URL asks the ledger instead"),
                l -> assertThat(l).startsWith("error: cannot reach the checker at http://127.0.0.1:1: connection refused"));
    }

    @Test
    void withBothInTheEnvironmentTheRedisFlagChoosesTheLedger(LocalStack stack) throws Exception {
        TestStream stream = TestStream.create(stack, "both-env-redis", 1);
        stream.putPlain("shardId-000000000000", 2);
        Map<String, String> env = new java.util.HashMap<>(stack.endpoints().environment());
        env.put("CHECKER_URL", "http://127.0.0.1:1");
        env.put("STREAM_NAME", stream.name());
        env.put("APP_NAME", "billing");

        Run run = jar(env, "--settle", "0s", "--redis", stack.endpoints().redis().toString());

        // Two records the ledger never heard of: undelivered, found by asking Redis; nothing said about the choice.
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stderr()).isEmpty();
        assertThat(run.stdout()).contains("drift: 2 records (0 duplicated, 0 skipped, 2 undelivered)");
    }

    @Test
    void bothFlagsAreStillAUsageError(LocalStack stack) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(stack.endpoints().environment());
        env.put("STREAM_NAME", "orders");

        Run run = jar(env, "--endpoint", "http://127.0.0.1:1", "--redis", stack.endpoints().redis().toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).isEqualTo("error: give either --endpoint or --redis, not both (try --help)" + System.lineSeparator());
    }
}
