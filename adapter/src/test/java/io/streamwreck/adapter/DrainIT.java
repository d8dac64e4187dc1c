package io.streamwreck.adapter;

import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SIGTERM with a backlog: drained, exit 0; with a drain timeout too short: exit 1, rows kept, the next start finishes them. */
@WithLocalStack
class DrainIT {

    private static final String BUCKET = "drain-logs";

    @Test
    void sigtermWithABacklogDrainsEverythingAndExitsZero(LocalStack stack) throws Exception {
        Path dir = Files.createDirectories(Path.of("target/it/drain"));
        StagedLines staged = StagedLines.create(stack.postgres(), "drain_it");
        stack.createStream("drain-orders", 8);
        try (S3Client s3 = LogFiles.s3(stack.endpoints().s3())) {
            s3.createBucket(b -> b.bucket(BUCKET));
            LogFiles.put(s3, BUCKET, "orders/backlog.log", LogFiles.content("backlog", 10_000, false));
        }
        try (AdapterProcess adapter = AdapterProcess.start(stack, staged.jdbcUrl(), dir, "adapter-drain",
                List.of("--tables", "orders=drain-orders", "--drain-timeout", "3m", "--calls-in-flight", "2",
                        "--put-deadline", "60s", "--call-timeout", "20s", "--lease", "2m"))) {
            assertThat(Http.post(adapter.uri(), "/ingest", "{\"table\":\"orders\",\"s3path\":\"s3://" + BUCKET + "/orders/backlog.log\"}").status()).isEqualTo(202);
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20)).until(() -> staged.count("true") > 0);
            assertThat(adapter.terminate(Duration.ofMinutes(4))).isZero();
            assertThat(adapter.log()).contains("summary drained=true staged=0");
        }
        // The file was being ingested at the signal: the drain finished it and wrote every line.
        assertThat(staged.count("true")).isEqualTo(10_000);
        assertThat(staged.count("written_at is null")).isZero();
    }

    @Test
    void aDrainTimeoutTooShortExitsNonZeroKeepsTheRowsAndTheNextStartWritesThem(LocalStack stack) throws Exception {
        Path dir = Files.createDirectories(Path.of("target/it/drain-short"));
        StagedLines staged = StagedLines.create(stack.postgres(), "drain_short_it");
        stack.createStream("drain-short-orders", 2);
        try (S3Client s3 = LogFiles.s3(stack.endpoints().s3())) {
            s3.createBucket(b -> b.bucket(BUCKET + "-short"));
            LogFiles.put(s3, BUCKET + "-short", "orders/stuck.log", LogFiles.content("stuck", 2_000, false));
        }
        // Puts get long deadlines and time-outs: short ones make the writer re-send calls kinesis-local is still working
        // on, and on a loaded machine that snowballs.
        List<String> args = List.of("--tables", "orders=drain-short-orders", "--drain-timeout", "2s", "--put-deadline", "30s",
                "--call-timeout", "20s", "--lease", "60s", "--calls-in-flight", "2");
        stack.pauseKinesis();
        try (AdapterProcess adapter = AdapterProcess.start(stack, staged.jdbcUrl(), dir, "adapter-drain-short", args)) {
            assertThat(Http.post(adapter.uri(), "/ingest", "{\"table\":\"orders\",\"s3path\":\"s3://" + BUCKET + "-short/orders/stuck.log\"}").status()).isEqualTo(202);
            await().atMost(Duration.ofMinutes(1)).until(() -> staged.count("true") == 2_000);
            assertThat(adapter.terminate(Duration.ofMinutes(1))).isEqualTo(1);
            assertThat(adapter.log()).contains("summary drained=false").contains("lines stay staged");
        } finally {
            stack.resumeKinesis();
        }
        assertThat(staged.count("written_at is null")).isPositive();
        // The next start, with settings for a loaded machine rather than for a quick timeout.
        List<String> nextArgs = List.of("--tables", "orders=drain-short-orders", "--put-deadline", "60s", "--call-timeout", "20s",
                "--lease", "2m", "--calls-in-flight", "2");
        try (AdapterProcess next = AdapterProcess.start(stack, staged.jdbcUrl(), dir, "adapter-drain-next", nextArgs)) {
            await("the next start writes them").atMost(Duration.ofMinutes(4)).until(() -> staged.count("written_at is null") == 0);
            assertThat(next.terminate(Duration.ofMinutes(1))).isZero();
        }
        assertThat(staged.count("cardinality(keys) = 0")).isZero();
    }
}
