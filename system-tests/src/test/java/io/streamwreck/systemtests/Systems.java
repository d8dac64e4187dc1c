package io.streamwreck.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.system.LocalSystem;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Starting a system per test on the shared stack, loading it, and reading the stream-checker's JSON report. */
final class Systems {

    /** The repository root: the system runs every part from its module's built jar. */
    static final Path REPOSITORY = Path.of("..");

    private Systems() {
    }

    static LocalSystem start(LocalStack stack, String name, int shards, int workers) {
        return start(stack, name, shards, workers, List.of());
    }

    static LocalSystem start(LocalStack stack, String name, int shards, int workers, List<String> workerArgs) {
        String stream = name + "-" + System.nanoTime() % 1_000_000_000L;
        return LocalSystem.builder().stack(stack).repository(REPOSITORY).workDir(Path.of("target/systems", stream))
                .stream(stream).app(stream + "-app").shards(shards).workers(workers).workerArgs(workerArgs)
                .checkerPort(0).start();
    }

    /** The producer writing in the background, at a rate that keeps the fleet busy through a fault. */
    static CompletableFuture<List<String>> load(LocalSystem system, int records, int perSecond) {
        return CompletableFuture.supplyAsync(() -> system.produce(records, perSecond));
    }

    /** The stream-checker's report (JSON) over the whole stream, nothing treated as in flight. */
    static LocalSystem.CheckerRun check(LocalSystem system) {
        LocalSystem.CheckerRun run = system.streamChecker(List.of("--settle", "0s", "--format", "json"));
        assertThat(run.exitCode()).as("stream-checker exit code; stderr: %s", run.stderr()).isIn(0, 1);
        return run;
    }

    static Set<String> keys(JsonNode array) {
        Set<String> out = new HashSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static Map<String, Integer> duplicated(JsonNode report) {
        Map<String, Integer> out = new HashMap<>();
        report.get("Duplicated").forEach(n -> out.put(n.get("Key").asText(), n.get("Count").asInt()));
        return out;
    }

    /**
     * Nothing lost: every written record scanned, none skipped or undelivered. The stream may hold more records than
     * were written: the producer is an at-least-once writer, and a put that timed out after Kinesis stored it is sent
     * again (kinesis-local under load does that) — a second copy under another sequence number, which the written log
     * does not name but the fleet processes like any other.
     */
    static void assertNothingLost(JsonNode report, List<String> written) {
        assertThat(report.get("Total").get("Scanned").asLong()).as("records scanned").isGreaterThanOrEqualTo(written.size());
        assertThat(keys(report.get("Undelivered"))).as("undelivered").isEmpty();
        assertThat(keys(report.get("Skipped"))).as("skipped").isEmpty();
        assertThat(report.get("Total").get("InFlight").asLong()).as("in flight").isZero();
    }
}
