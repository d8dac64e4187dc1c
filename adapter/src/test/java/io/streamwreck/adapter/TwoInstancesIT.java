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
 * The load shape: 20 files (every third gzip), two adapter instances on one database, the notifications
 * spread over both (and each sent twice): every line staged once and written with its key. 1,000 lines a file
 * by default (20,000 lines); {@code -Dadapter.it.lines=10000} runs the 200,000. Measured on the loaded
 * 2-core machine (2026-12-04, 32 shards): 20,000 lines written in 16 s; of 200,000, all were staged within 5 s
 * of the first notification but kinesis-local had acknowledged 55,718 after 4.5 minutes (its PutRecords slows
 * down as a shard fills, and the time-outs that follow make the writer re-send), so the default stays 20,000.
 */
@WithLocalStack
class TwoInstancesIT {

    private static final String BUCKET = "two-instances";
    private static final String STREAM = "two-instances";
    private static final int FILES = Integer.getInteger("adapter.it.files", 20);
    private static final int LINES = Integer.getInteger("adapter.it.lines", 1_000);
    private static final int SHARDS = Integer.getInteger("adapter.it.shards", 16);
    /** How long writing every line may take: 10 minutes is ample for the default 20,000 lines; larger runs set more. */
    private static final Duration WRITE_WITHIN = Duration.ofMinutes(Integer.getInteger("adapter.it.minutes", 10));

    @Test
    void everyLineOfEveryFileIsWrittenExactlyOnceWithItsKey(LocalStack stack) throws Exception {
        Path dir = Files.createDirectories(Path.of("target/it/two-instances"));
        StagedLines staged = StagedLines.create(stack.postgres(), "two_instances_it");
        // Many shards: kinesis-local's PutRecords slows down as a shard fills (bench/results/30-producer-put.md), so
        // the time to write grows with the lines per shard squared; 200,000 lines want -Dadapter.it.shards=1000.
        stack.createStream(STREAM, SHARDS);
        Set<String> expected = new HashSet<>();
        try (S3Client s3 = LogFiles.s3(stack.endpoints().s3())) {
            s3.createBucket(b -> b.bucket(BUCKET));
            for (int f = 0; f < FILES; f++) {
                boolean gzip = f % 3 == 0;
                String key = "orders/f-" + f + (gzip ? ".log.gz" : ".log");
                LogFiles.put(s3, BUCKET, key, LogFiles.content("f-" + f, LINES, gzip));
                for (int n = 1; n <= LINES; n++) {
                    expected.add(key + ":" + n);
                }
            }
            List<String> args = List.of("--tables", "orders=" + STREAM, "--lease", "2m", "--put-deadline", "60s",
                    "--call-timeout", "20s", "--calls-in-flight", "2");
            try (AdapterProcess a = AdapterProcess.start(stack, staged.jdbcUrl(), dir, "adapter-a", args);
                 AdapterProcess b = AdapterProcess.start(stack, staged.jdbcUrl(), dir, "adapter-b", args)) {
                long began = System.nanoTime();
                for (int f = 0; f < FILES; f++) {
                    String key = "orders/f-" + f + (f % 3 == 0 ? ".log.gz" : ".log");
                    String body = "{\"table\":\"orders\",\"s3path\":\"s3://" + BUCKET + "/" + key + "\"}";
                    assertThat(Http.post((f % 2 == 0 ? a : b).uri(), "/ingest", body).status()).isEqualTo(202);
                    // A redelivery to the other instance registers nothing new.
                    assertThat(Http.post((f % 2 == 0 ? b : a).uri(), "/ingest", body).json().get("Ingests").get(0).get("Duplicate").asBoolean()).isTrue();
                }
                await("every line written").atMost(WRITE_WITHIN).pollInterval(Duration.ofSeconds(1))
                        .until(() -> staged.count("true") == (long) FILES * LINES && staged.count("written_at is null") == 0);
                double seconds = (System.nanoTime() - began) / 1e9;
                System.out.printf("TwoInstancesIT: %d lines from %d files written in %.1f s (%.0f lines/s)%n",
                        (long) FILES * LINES, FILES, seconds, FILES * LINES / seconds);
                assertThat(Http.get(a.uri(), "/status").json().get("Writer").get("Written").asLong()).isPositive();
                assertThat(Http.get(b.uri(), "/status").json().get("Writer").get("Written").asLong()).isPositive();
                assertThat(a.terminate(Duration.ofSeconds(90))).isZero();
                assertThat(b.terminate(Duration.ofSeconds(90))).isZero();
            }
            int twice = Accounting.check(staged, staged.fileIds(), expected, StreamContents.read(stack.kinesis(), STREAM));
            System.out.println("TwoInstancesIT: lines in the stream twice (put outcome unknown, each accounted for): " + twice);
        }
    }
}
