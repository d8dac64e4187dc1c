package io.streamwreck.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.standin.TetheredProcess;
import io.streamwreck.local.system.LocalSystem;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lag is not loss (DESIGN.md "Classification", {@code pending}): records a stopped fleet has not reached are
 * pending, judged by the checkpoints KCL wrote into the application's real lease table — exit 0, not drift; once
 * the fleet resumes they are processed. A record the consumer checkpointed past without delivering is undelivered.
 */
@WithLocalStack
class LagIsNotLossIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStoppedFleetsBacklogIsPendingThenProcessedAndACheckpointForcedPastRecordsMakesThemUndelivered(LocalStack stack)
            throws Exception {
        try (LocalSystem system = Systems.start(stack, "lag", 2, 1)) {
            List<String> first = system.produce(200);
            system.awaitCaughtUp(first, Duration.ofMinutes(2));
            TetheredProcess worker = system.workers().get(0);

            // Stopped half-way: the fleet has read the first 200, the next 300 wait in the stream.
            worker.pause();
            List<String> backlog;
            LocalSystem.CheckerRun lagging;
            JsonNode seed;
            try {
                backlog = system.produce(300);
                lagging = system.streamChecker(List.of("--settle", "0s", "--format", "json"));
                seed = reconcileBare(system, backlog.subList(0, 5));
            } finally {
                worker.resume();
            }

            assertThat(lagging.exitCode()).as(lagging.stderr()).isZero();
            JsonNode report = lagging.report();
            assertThat(report.get("Drift").asLong()).isZero();
            assertThat(report.get("Total").get("Pending").asLong()).isEqualTo(300);
            assertThat(report.get("Total").get("Processed").asLong()).isEqualTo(200);
            assertThat(report.get("Total").get("Undelivered").asLong()).isZero();
            assertThat(report.get("Evidence").asText()).contains("from the lease table " + system.app());
            long behind = 0;
            for (JsonNode shard : report.get("Shards")) {
                behind += shard.get("Behind").get("Records").asLong();
                assertThat(shard.get("Behind").get("Records").asLong()).isEqualTo(shard.get("Pending").asLong());
                assertThat(shard.get("Checkpoint").get("State").asText()).isIn("READ_TO", "NOT_STARTED");
            }
            assertThat(behind).as("records behind the checkpoints").isEqualTo(300);
            // The seed's request (bare sequence numbers): lagging keys are Pending, not Unprocessed.
            assertThat(strings(seed.get("Pending"))).hasSize(5);
            assertThat(strings(seed.get("Unprocessed"))).isEmpty();
            assertThat(strings(seed.get("Undelivered"))).isEmpty();

            // The fleet resumes and catches up: the same records are processed.
            List<String> all = new ArrayList<>(first);
            all.addAll(backlog);
            system.awaitCaughtUp(all, Duration.ofMinutes(3));
            LocalSystem.CheckerRun caughtUp = Systems.check(system);
            assertThat(caughtUp.exitCode()).as(caughtUp.stderr()).isZero();
            assertThat(caughtUp.report().get("Total").get("Processed").asLong()).isEqualTo(500);
            assertThat(caughtUp.report().get("Total").get("Pending").asLong()).isZero();

            // Stopped again; a checkpoint forced past records the fleet never read: they are lost, undelivered.
            worker.pause();
            try {
                List<String> skippedOver = system.produce(40);
                forceCheckpointsPast(system, skippedOver);
                LocalSystem.CheckerRun lost = system.streamChecker(List.of("--settle", "0s", "--format", "json"));

                assertThat(lost.exitCode()).as(lost.stderr()).isEqualTo(1);
                assertThat(Systems.keys(lost.report().get("Undelivered"))).containsExactlyInAnyOrderElementsOf(skippedOver);
                assertThat(lost.report().get("Total").get("Pending").asLong()).isZero();
            } finally {
                worker.resume();
            }
        }
    }

    /** What a careless operator or a buggy consumer does: moves each shard's checkpoint to its last record of {@code keys}. */
    private static void forceCheckpointsPast(LocalSystem system, List<String> keys) {
        Map<String, BigInteger> last = new HashMap<>();
        for (String key : keys) {
            String[] parts = key.split(":");
            last.merge(parts[0], new BigInteger(parts[1]), BigInteger::max);
        }
        last.forEach((shard, seq) -> system.stack().dynamoDb().updateItem(b -> b.tableName(system.app())
                .key(Map.of("leaseKey", AttributeValue.fromS(shard)))
                .updateExpression("SET checkpoint = :c, checkpointSubSequenceNumber = :s")
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(seq.toString()), ":s", AttributeValue.fromN("0")))));
    }

    /** The seed's curl: {@code POST /reconcile} with bare sequence numbers, against the default scope. */
    private static JsonNode reconcileBare(LocalSystem system, List<String> keys) throws Exception {
        String body = keys.stream().map(k -> "\"" + k.split(":")[1] + "\"").collect(Collectors.joining(",", "[", "]"));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(system.checkerUrl() + "/reconcile"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static Set<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).collect(Collectors.toSet());
    }
}
