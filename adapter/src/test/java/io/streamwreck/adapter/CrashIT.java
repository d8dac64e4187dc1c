package io.streamwreck.adapter;

import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of an adapter mid-ingest, then of its successor mid-write: after a restart every line is staged once
 * and written; a line in the stream twice is one whose put outcome was unknown (claimed again after the crash),
 * and every copy is accounted for.
 */
@WithLocalStack
class CrashIT {

    private static final String BUCKET = "crash-logs";
    private static final String STREAM = "crash-orders";
    private static final int LINES = 10_000;

    @Test
    void afterKillsMidIngestAndMidWriteEveryLineIsWrittenAndNoneLost(LocalStack stack) throws Exception {
        Path dir = Files.createDirectories(Path.of("target/it/crash"));
        StagedLines staged = StagedLines.create(stack.postgres(), "crash_it");
        stack.createStream(STREAM, 8);
        Set<String> expected = new HashSet<>();
        try (S3Client s3 = LogFiles.s3(stack.endpoints().s3())) {
            s3.createBucket(b -> b.bucket(BUCKET));
            for (String key : List.of("orders/big-1.log.gz", "orders/big-2.log")) {
                LogFiles.put(s3, BUCKET, key, LogFiles.content(key, LINES, key.endsWith(".gz")));
                for (int n = 1; n <= LINES; n++) {
                    expected.add(key + ":" + n);
                }
            }
        }
        // Small batches and one ingest worker make a file's ingest long enough to be cut; the lease is short enough
        // for the successor to take the dead instance's claims over within the test, and twice the put deadline.
        List<String> args = List.of("--tables", "orders=" + STREAM, "--lease", "40s", "--put-deadline", "20s", "--call-timeout", "15s",
                "--batch-lines", "100", "--ingest-workers", "1", "--max-in-flight", "500", "--calls-in-flight", "2");
        long total = 2L * LINES;
        AdapterProcess first = AdapterProcess.start(stack, staged.jdbcUrl(), dir, "adapter-crash-1", args);
        try {
            for (String key : List.of("orders/big-1.log.gz", "orders/big-2.log")) {
                assertThat(Http.post(first.uri(), "/ingest", "{\"table\":\"orders\",\"s3path\":\"s3://" + BUCKET + "/" + key + "\"}").status()).isEqualTo(202);
            }
            await("part of the first file staged").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> staged.count("true") > 1_000);
            first.process().kill();
        } finally {
            first.close();
        }
        long stagedAtKill = staged.count("true");
        assertThat(stagedAtKill).as("killed mid-ingest").isLessThan(total);

        AdapterProcess second = AdapterProcess.start(stack, staged.jdbcUrl(), dir, "adapter-crash-2", args);
        try {
            await("some lines written by the successor").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> staged.count("written_at is not null") > stagedAtKill + 2_000);
            second.process().kill();
        } finally {
            second.close();
        }
        assertThat(staged.count("written_at is null")).as("killed mid-write").isPositive();

        try (AdapterProcess third = AdapterProcess.start(stack, staged.jdbcUrl(), dir, "adapter-crash-3", args)) {
            await("every line written").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> staged.count("true") == total && staged.count("written_at is null") == 0);
            assertThat(third.terminate(Duration.ofSeconds(60))).isZero();
        }
        int twice = Accounting.check(staged, staged.fileIds(), expected, StreamContents.read(stack.kinesis(), STREAM));
        System.out.println("CrashIT: lines in the stream twice after the kills (each a claim of a killed instance): " + twice
                + "; uncertain lines: " + staged.uncertain());
    }
}
