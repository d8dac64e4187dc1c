package io.streamwreck.processor;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.Notice;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.standin.TetheredProcess;
import io.streamwreck.local.system.LeaseTable;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SNS unreachable for {@link #OUTAGE} mid-run (moto frozen with SIGSTOP, then SIGCONT: a restart would lose its
 * topics). The invariant is checked directly, not by how long checkpoints stood still: every checkpoint seen during
 * the outage covers only records whose notices SNS accepted before it froze (a frozen moto accepts nothing, so a
 * notice's SQS SentTimestamp tells when). Meanwhile the worker handles records past its checkpoints, and after
 * recovery every notice is published and nothing is lost.
 */
@WithLocalStack
class SnsOutageIT {

    /** How long SNS is down: the fault itself, not a wait. Several SNS call timeouts (5 s), so retries happen. */
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    /** How often the lease table is read during the outage. */
    private static final Duration OBSERVE_EVERY = Fleet.POLL_INTERVAL;
    /** A worker JVM's start and first checkpoint, slow on a loaded machine; a bound, never a measurement. */
    private static final Duration STARTUP = Duration.ofSeconds(90);


    @Test
    void noCheckpointPassesUnpublishedNoticesAndNothingIsLostAfterRecovery(LocalStack stack) throws Exception {
        TestStream stream = TestStream.create(stack, "outage", 2);
        Path dir = Files.createDirectories(Path.of("target/it", stream.name()));
        String app = "outage-app-" + stream.name();
        String topicArn = stack.sns().createTopic(b -> b.name("notices-" + stream.name())).topicArn();
        LeaseTable leases = new LeaseTable(stack, app);

        try (NoticeCollector notices = NoticeCollector.subscribe(stack, topicArn, "q-" + stream.name());
             Fleet fleet = new Fleet(stack, stream.name(), app, topicArn, dir, List.of())) {
            TetheredProcess worker = fleet.start(1);
            List<CheckpointInvariant.Observed> duringOutage = new ArrayList<>();
            Instant resumedAt;
            try (ContinuousWriter load = new ContinuousWriter(stream, 50, 50)) {
                await("checkpoints moving").atMost(STARTUP).failFast(() -> !worker.isAlive())
                        .until(() -> CheckpointInvariant.numeric(leases.checkpoints()).size() == 2);
                stack.pauseMoto();
                try {
                    long end = System.nanoTime() + OUTAGE.toNanos();
                    while (System.nanoTime() < end) {
                        CheckpointInvariant.numeric(leases.checkpoints()).forEach((shard, c) -> duringOutage.add(new CheckpointInvariant.Observed(shard, c)));
                        Thread.sleep(OBSERVE_EVERY.toMillis()); // sampling the lease table, not waiting for a condition
                    }
                    assertThat(worker.isAlive()).isTrue();
                } finally {
                    resumedAt = Instant.now();
                    stack.resumeMoto();
                }
            }
            Map<String, String> last = stream.lastPerShard().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sequenceNumber()));
            await("every record reported and checkpointed after recovery").atMost(STARTUP.plus(OUTAGE))
                    .pollInterval(Duration.ofMillis(500)).failFast(() -> !worker.isAlive())
                    .until(() -> notices.processedCounts().keySet().containsAll(stream.written()) && leases.checkpoints().equals(last));

            Map<RecordKey, Integer> counts = notices.processedCounts();
            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(Set.copyOf(stream.written()));
            assertThat(counts.values()).containsOnly(1);
            assertThat(worker.logTail(400)).contains("will retry");

            // When SNS accepted the notice of each record.
            Map<RecordKey, Instant> acceptedAt = new HashMap<>();
            for (Notice n : notices.notices()) {
                Instant sent = notices.sentAt(n.id());
                assertThat(sent).as("SentTimestamp of notice %s", n.id()).isNotNull();
                n.processed().forEach(k -> acceptedAt.put(k, sent));
            }
            List<RecordKey> handled = AuditRecords.read(fleet.auditLog(1)).completed();
            CheckpointInvariant.holds(duringOutage, handled, acceptedAt, resumedAt);
        }
    }

}
