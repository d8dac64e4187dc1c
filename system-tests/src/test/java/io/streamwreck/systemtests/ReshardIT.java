package io.streamwreck.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.system.LocalSystem;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Resharding 2 → 4 while the fleet consumes: nothing lost, the closed parents are scanned too. */
@WithLocalStack
class ReshardIT {

    @Test
    void nothingIsLostAcrossAReshard(LocalStack stack) throws Exception {
        try (LocalSystem system = Systems.start(stack, "reshard", 2, 2)) {
            CompletableFuture<List<String>> load = Systems.load(system, 8_000, 400);
            await("the fleet busy").atMost(Duration.ofSeconds(60))
                    .until(() -> Files.exists(system.auditLog(1)) && Files.size(system.auditLog(1)) > 20_000);
            stack.kinesis().updateShardCount(b -> b.streamName(system.stream()).targetShardCount(4).scalingType(ScalingType.UNIFORM_SCALING));
            await("resharded").atMost(Duration.ofSeconds(30)).until(() -> stack.kinesis().describeStreamSummary(
                    b -> b.streamName(system.stream())).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
            List<String> written = load.get();
            assertThat(written.stream().map(k -> k.split(":")[0]).distinct().count()).as("shards written to").isGreaterThan(2);
            system.awaitCaughtUp(written, Duration.ofMinutes(3));

            LocalSystem.CheckerRun run = Systems.check(system);
            JsonNode report = run.report();
            Systems.assertNothingLost(report, written);
            assertThat(report.get("Total").get("Shards").asInt()).isGreaterThanOrEqualTo(6);
            int closed = 0;
            for (JsonNode shard : report.get("Shards")) {
                closed += "closed".equals(shard.get("State").asText()) ? 1 : 0;
            }
            assertThat(closed).as("closed parent shards in the report").isEqualTo(2);
            // Lease moves during a reshard re-deliver; every duplicate reported must be one the fleet really handled twice.
            AuditTruth truth = AuditTruth.read(system, 2);
            Systems.duplicated(report).forEach((key, count) -> assertThat(truth.handled()).containsEntry(key, count));
        }
    }
}
