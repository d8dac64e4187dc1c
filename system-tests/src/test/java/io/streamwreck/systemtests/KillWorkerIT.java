package io.streamwreck.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.system.LocalSystem;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of one worker mid-run: nothing is lost, and the duplicates the stream-checker reports are exactly the
 * records the fleet handled twice, with their counts — except records whose notice the dead worker never saw
 * published, which it may have taken to its grave (counted once, or twice if SNS got the notice just before the kill).
 */
@WithLocalStack
class KillWorkerIT {

    @Test
    void nothingIsLostAndTheReportedDuplicatesAreTheRecordsHandledTwice(LocalStack stack) throws Exception {
        // Checkpoints every 3 s: the dead worker leaves seconds of published, unchecked records, which the survivor
        // handles again — the duplicates the report must show.
        try (LocalSystem system = Systems.start(stack, "kill", 2, 2, List.of("--checkpoint-interval", "3s"))) {
            CompletableFuture<List<String>> load = Systems.load(system, 6_000, 400);
            await("worker-1 busy").atMost(Duration.ofSeconds(60))
                    .until(() -> Files.exists(system.auditLog(1)) && Files.size(system.auditLog(1)) > 50_000);
            system.workers().get(0).kill();
            List<String> written = load.get();
            system.awaitCaughtUp(written, Duration.ofMinutes(3));

            JsonNode report = Systems.check(system).report();
            AuditTruth truth = AuditTruth.read(system, 2);
            Systems.assertNothingLost(report, written);
            assertThat(truth.handled().keySet()).containsAll(written);

            Map<String, Integer> reported = Systems.duplicated(report);
            Map<String, Integer> handledTwice = truth.handled().entrySet().stream().filter(e -> e.getValue() > 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            Set<String> uncertain = truth.unconfirmed(1);
            assertThat(handledTwice).as("the kill caused re-deliveries").isNotEmpty();
            assertThat(reported).as("duplicates reported").isNotEmpty();
            reported.forEach((key, count) -> assertThat(count).as("count of %s", key).isEqualTo(handledTwice.get(key)));
            handledTwice.forEach((key, count) -> {
                if (!uncertain.contains(key)) {
                    assertThat(reported).as("duplicate %s handled %d times", key, count).containsEntry(key, count);
                }
            });
            System.out.printf("kill -9: %d records handled twice, %d reported duplicated, %d unconfirmed at the kill%n",
                    handledTwice.size(), reported.size(), uncertain.size());
        }
    }
}
