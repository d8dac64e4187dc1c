package io.streamwreck.producer.cli;

import io.streamwreck.core.RecordKey;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.producer.StreamContents;
import io.streamwreck.producer.StreamContents.StoredRecord;
import io.streamwreck.producer.WrittenLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code java -jar producer/target/producer.jar}, the real shaded jar, against the local stack. */
@WithLocalStack
class ProducerJarIT {

    private static final Path JAR = Path.of("target/producer.jar");
    private static final Pattern SUMMARY = Pattern.compile(
            "summary stream=(\\S+) records=(\\d+) written=(\\d+) retried=(\\d+) failed=(\\d+) seconds=[0-9.]+ records_per_s=\\d+");

    @TempDir
    Path dir;

    private record Run(int exitCode, String stdout, String stderr) {
    }

    private Run producer(LocalStack stack, String stream, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(stack.endpoints().environment());
        if (stream != null) {
            builder.environment().put("STREAM_NAME", stream);
        } else {
            builder.environment().remove("STREAM_NAME");
        }
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("producer.jar did not finish in 90 s");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void writesEveryRecordAndTheWrittenLogMatchesWhatGetRecordsReturns(LocalStack stack) throws Exception {
        String stream = "producer-jar-" + ProcessHandle.current().pid();
        stack.createStream(stream, 3);
        Path log = dir.resolve("written.log");

        Run run = producer(stack, stream, "--count", "600", "--rate", "0", "--size", "64", "--partition-keys", "5",
                "--written-log", log.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        Matcher summary = SUMMARY.matcher(run.stdout().strip());
        assertThat(summary.matches()).as(run.stdout()).isTrue();
        assertThat(List.of(summary.group(1), summary.group(2), summary.group(3), summary.group(5)))
                .containsExactly(stream, "600", "600", "0");
        assertThat(run.stderr()).doesNotContain("error", "failed");

        // Each record's data starts with its id: the stream says where every id went.
        Map<String, RecordKey> stored = new HashMap<>();
        for (Map.Entry<RecordKey, String> e : readAll(stack.kinesis(), stream).entrySet()) {
            assertThat(e.getValue()).hasSize(64);
            stored.put(e.getValue().substring(0, e.getValue().indexOf(' ')), e.getKey());
        }
        List<WrittenLog.Entry> lines = WrittenLog.read(log);
        assertThat(lines).hasSize(600);
        Map<String, RecordKey> logged = new HashMap<>();
        lines.forEach(line -> logged.put(line.recordId(), line.key()));
        assertThat(logged).isEqualTo(stored);
    }

    @Test
    void recordsThatMissTheirDeadlineMakeTheExitCodeOneAndAreExplained(LocalStack stack) throws Exception {
        String stream = "producer-jar-late-" + ProcessHandle.current().pid();
        stack.createStream(stream, 1);

        // 10 records/s on one shard with a 400 ms deadline: most of 40 records cannot make it.
        Run run = producer(stack, stream, "--count", "40", "--rate", "0", "--shard-rate", "10", "--deadline", "400ms",
                "--partition-keys", "1");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        Matcher summary = SUMMARY.matcher(run.stdout().strip());
        assertThat(summary.matches()).as(run.stdout()).isTrue();
        int written = Integer.parseInt(summary.group(3));
        int failed = Integer.parseInt(summary.group(5));
        assertThat(written + failed).isEqualTo(40);
        assertThat(failed).isPositive();
        // One line per cause (usually one: waited for the rate; under load an attempt may also time out).
        Matcher cause = Pattern.compile("^failed: (\\d+) record\\(s\\) like this one: record \\S+ not written within its deadline of 400 ms",
                Pattern.MULTILINE).matcher(run.stderr());
        int explained = 0;
        int attempted = 0;
        while (cause.find()) {
            explained += Integer.parseInt(cause.group(1));
            int lineEnd = run.stderr().indexOf('\n', cause.end());
            if (!run.stderr().substring(cause.end(), lineEnd < 0 ? run.stderr().length() : lineEnd).contains("after 0 attempts")) {
                attempted += Integer.parseInt(cause.group(1));
            }
        }
        assertThat(explained).as(run.stderr()).isEqualTo(failed);
        // A record whose attempt timed out may have been stored all the same: at least once, not exactly once.
        assertThat(readAll(stack.kinesis(), stream).size()).isBetween(written, written + attempted);
    }

    @Test
    void usageErrorsAndAMissingStreamAreOneLineAndExitTwo(LocalStack stack) throws Exception {
        Run bad = producer(stack, "some-stream", "--count", "0");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr().lines()).containsExactly("error: --count must be at least 1, was 0 (try --help)");
        assertThat(bad.stdout()).isEmpty();

        Run missing = producer(stack, "no-such-stream", "--count", "5");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr().lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("error: cannot list the shards of stream no-such-stream: ResourceNotFoundException"));
        assertThat(missing.stdout()).isEmpty();
    }

    /** Every record of the stream by key, data as text (the generator writes ASCII). */
    private static Map<RecordKey, String> readAll(KinesisClient kinesis, String stream) {
        Map<RecordKey, String> all = new HashMap<>();
        for (StoredRecord r : StreamContents.readAll(kinesis, stream)) {
            all.put(r.key(), r.data());
        }
        return all;
    }
}
