package io.streamwreck.processor;

import io.streamwreck.core.RecordKey;
import io.streamwreck.local.ChildProcess;
import io.streamwreck.local.LeaseTable;
import io.streamwreck.local.LocalStack;
import io.streamwreck.local.WithLocalStack;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SNS unreachable for 20 s mid-run (moto frozen with SIGSTOP, then SIGCONT: a restart would lose its topics): no
 * checkpoint moves while notices cannot be published, the worker handles records past the checkpoint meanwhile, and
 * after recovery every notice is published and nothing is lost.
 */
@WithLocalStack
class SnsOutageIT {

    @Test
    void noCheckpointPassesUnpublishedNoticesAndNothingIsLostAfterRecovery(LocalStack stack) throws Exception {
        TestStream stream = TestStream.create(stack, "outage", 2);
        Path dir = Files.createDirectories(Path.of("target/it", stream.name()));
        String app = "outage-app-" + stream.name();
        String topicArn = stack.sns().createTopic(b -> b.name("notices-" + stream.name())).topicArn();
        LeaseTable leases = new LeaseTable(stack, app);

        try (NoticeCollector notices = NoticeCollector.subscribe(stack, topicArn, "q-" + stream.name());
             Fleet fleet = new Fleet(stack, stream.name(), app, topicArn, dir, List.of())) {
            ChildProcess worker = fleet.start(1);
            Map<String, String> frozen;
            try (ContinuousWriter load = new ContinuousWriter(stream, 50, 50)) {
                await("checkpoints moving").atMost(Duration.ofSeconds(60)).failFast(() -> !worker.isAlive())
                        .until(() -> leases.checkpoints().size() == 2
                                && leases.checkpoints().values().stream().allMatch(c -> c != null && c.matches("\\d+")));
                stack.pauseMoto();
                try {
                    // Calls already in flight when moto froze may still land, and their checkpoints follow: wait until
                    // the checkpoints have stood still for 3 s, then hold them to it for the rest of the outage.
                    AtomicReference<Map<String, String>> last = new AtomicReference<>(leases.checkpoints());
                    await("checkpoints settled").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(12))
                            .pollInterval(Duration.ofMillis(250)).until(() -> {
                                Map<String, String> now = leases.checkpoints();
                                return now.equals(last.getAndSet(now));
                            });
                    frozen = last.get();
                    await("checkpoints held for the rest of the outage").during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(15))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> leases.checkpoints().equals(frozen));
                    // Meanwhile the worker went on handling records beyond the held checkpoints (up to its pending limit).
                    assertThat(AuditRecords.read(fleet.auditLog(1)).completed())
                            .anyMatch(k -> after(k, frozen.get(k.shardId())));
                    assertThat(worker.isAlive()).isTrue();
                } finally {
                    stack.resumeMoto();
                }
            }
            Map<String, String> last = stream.lastPerShard().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sequenceNumber()));
            await("every record reported and checkpointed after recovery").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500)).failFast(() -> !worker.isAlive())
                    .until(() -> notices.processedCounts().keySet().containsAll(stream.written()) && leases.checkpoints().equals(last));

            Map<RecordKey, Integer> counts = notices.processedCounts();
            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(Set.copyOf(stream.written()));
            assertThat(counts.values()).containsOnly(1);
            assertThat(worker.logTail(200)).contains("will retry");
        }
    }

    private static boolean after(RecordKey key, String checkpoint) {
        return checkpoint != null && new BigInteger(key.sequenceNumber()).compareTo(new BigInteger(checkpoint)) > 0;
    }
}
