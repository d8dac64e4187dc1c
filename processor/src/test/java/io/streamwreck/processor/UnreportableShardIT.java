package io.streamwreck.processor;

import io.streamwreck.core.RecordKey;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.standin.TetheredProcess;
import io.streamwreck.local.system.LeaseTable;
import io.streamwreck.processor.cli.ProcessorMain;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker whose audit log sits on a full filesystem ({@code /dev/full}: every write fails with ENOSPC) cannot report
 * any batch. Within {@code --report-timeout} it gives up — one ERROR line, exit code 3, no checkpoint past what it
 * could not report — and the other worker takes its shards from their last checkpoints: every record processed,
 * none lost.
 */
@WithLocalStack
class UnreportableShardIT {

    private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(3);
    /** KCL's graceful shutdown budget in ProcessorApp, which the give-up goes through. */
    private static final Duration SHUTDOWN_BUDGET = Duration.ofSeconds(20);
    /** The JVM's exit after the scheduler stopped: closing clients and the publisher's drain (5 s). */
    private static final Duration SHUTDOWN_ALLOWANCE = Duration.ofSeconds(10);
    /** Start-up of a worker JVM and its first read, slow on a loaded machine; never the thing measured. */
    private static final Duration STARTUP = Duration.ofSeconds(60);

    @Test
    void aWorkerThatCannotWriteItsAuditLogGivesUpItsShardsAndAnotherWorkerProcessesEverything(LocalStack stack) throws Exception {
        Path devFull = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(devFull), "/dev/full is needed for a full filesystem");
        TestStream stream = TestStream.create(stack, "unreportable", 2);
        Path dir = Files.createDirectories(Path.of("target/it", stream.name()));
        String app = "unreportable-app-" + stream.name();
        String topicArn = stack.sns().createTopic(b -> b.name("notices-" + stream.name())).topicArn();
        LeaseTable leases = new LeaseTable(stack, app);

        try (NoticeCollector notices = NoticeCollector.subscribe(stack, topicArn, "q-" + stream.name());
             Fleet fleet = new Fleet(stack, stream.name(), app, topicArn, dir, List.of())) {
            TetheredProcess full = fleet.start(1, devFull, List.of("--report-timeout", REPORT_TIMEOUT.toMillis() + "ms"));
            await("worker-1 holds every lease").atMost(STARTUP).failFast(() -> !full.isAlive())
                    .until(() -> leases.leases().size() == 2 && owners(leases).equals(Set.of(Fleet.workerId(1))));
            TetheredProcess healthy;
            long exitedAt;
            try (ContinuousWriter load = new ContinuousWriter(stream, 50, 50)) {
                healthy = fleet.start(2);
                await("worker-1 fails to report a batch").atMost(STARTUP).pollInterval(Duration.ofMillis(100))
                        .until(() -> full.logTail(400).contains("could not be reported"));
                long failedAt = System.nanoTime();
                // From its first unreportable batch: the report timeout, a poll (an empty call notices it), then a
                // graceful shutdown, which has its own budget.
                Duration bound = REPORT_TIMEOUT.plus(Fleet.POLL_INTERVAL).plus(SHUTDOWN_BUDGET).plus(SHUTDOWN_ALLOWANCE);
                await("worker-1 gives up").atMost(bound).pollInterval(Duration.ofMillis(100)).until(() -> !full.isAlive());
                exitedAt = System.nanoTime();
                System.out.printf("unreportable: worker-1 exited %d ms after its first unreportable batch (report timeout %d ms)%n",
                        (exitedAt - failedAt) / 1_000_000, REPORT_TIMEOUT.toMillis());
                assertThat(full.exitValue()).as("exit code; log:%n%s", full.logTail(60)).isEqualTo(ProcessorMain.EXIT_GAVE_UP);
                String log = full.logTail(400);
                assertThat(log).contains("could not be reported").contains("No space left on device").contains("giving up shard");

                // KCL does not release leases on shutdown: they expire after the failover time and the taker needs
                // two of its passes, two failover times apart, to see that (2-4 failover times; more on a loaded machine).
                await("worker-2 holds every lease").atMost(STARTUP.plus(Fleet.FAILOVER_TIME.multipliedBy(8)))
                        .pollInterval(Duration.ofMillis(100)).failFast(() -> !healthy.isAlive())
                        .until(() -> owners(leases).equals(Set.of(Fleet.workerId(2))));
                System.out.printf("unreportable: worker-2 held every lease %d ms after worker-1 exited (failover time %d ms)%n",
                        (System.nanoTime() - exitedAt) / 1_000_000, Fleet.FAILOVER_TIME.toMillis());
                await("worker-2 handles records on every shard").atMost(STARTUP)
                        .until(() -> AuditRecords.read(fleet.auditLog(2)).completed().stream().map(RecordKey::shardId)
                                .collect(Collectors.toSet()).size() == 2);
            }
            Map<String, String> last = stream.lastPerShard().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sequenceNumber()));
            await("every record reported and checkpointed").atMost(STARTUP.multipliedBy(2)).failFast(() -> !healthy.isAlive())
                    .until(() -> notices.processedCounts().keySet().containsAll(stream.written()) && leases.checkpoints().equals(last));

            // Nothing lost, and nothing reported by the worker that could not write its audit log.
            Map<RecordKey, Integer> counts = notices.processedCounts();
            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(Set.copyOf(stream.written()));
            assertThat(counts.values()).containsOnly(1);
            assertThat(notices.notices()).allMatch(n -> n.worker().equals(Fleet.workerId(2)));
            assertThat(AuditRecords.read(fleet.auditLog(2)).completed()).containsAll(stream.written());
        }
    }

    private static Set<String> owners(LeaseTable leases) {
        return leases.leases().values().stream().map(LeaseTable.Lease::owner).filter(Objects::nonNull).collect(Collectors.toSet());
    }
}
