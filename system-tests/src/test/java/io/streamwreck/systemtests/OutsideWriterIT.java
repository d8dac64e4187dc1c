package io.streamwreck.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.system.LocalSystem;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The aws CLI as an outside writer ({@code aws kinesis put-record}): its records are processed and found. */
@WithLocalStack
class OutsideWriterIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void recordsWrittenWithTheAwsCliAreFoundProcessed(LocalStack stack) throws Exception {
        try (LocalSystem system = Systems.start(stack, "cli", 2, 2)) {
            List<String> written = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                written.add(putRecord(system, "outside-" + i));
            }
            written.addAll(system.produce(500));
            system.awaitCaughtUp(written, Duration.ofMinutes(2));

            LocalSystem.CheckerRun run = Systems.check(system);
            Systems.assertNothingLost(run.report(), written);
            assertThat(run.exitCode()).isZero();

            // Ask the checker API about the CLI's records alone, as a user would with curl.
            String body = JSON.writeValueAsString(java.util.Map.of("Stream", system.stream(), "Application", system.app(),
                    "Keys", written.subList(0, 5)));
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(system.checkerUrl() + "/reconcile"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode answer = JSON.readTree(response.body());
            assertThat(answer.get("Checked").asInt()).isEqualTo(5);
            assertThat(answer.get("Unprocessed")).isEmpty();
            assertThat(answer.get("Duplicated")).isEmpty();
        }
    }

    /** {@code aws kinesis put-record} against the local Kinesis; returns the record's key. */
    private static String putRecord(LocalSystem system, String data) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("aws", "--endpoint-url", system.environment().get("AWS_ENDPOINT_URL_KINESIS"),
                "--output", "json", "kinesis", "put-record", "--stream-name", system.stream(), "--partition-key", data,
                "--data", java.util.Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8)))
                .redirectErrorStream(true);
        pb.environment().putAll(system.environment());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("aws kinesis put-record: %s", out).isZero();
        JsonNode result = JSON.readTree(out);
        return result.get("ShardId").asText() + ":" + result.get("SequenceNumber").asText();
    }
}
