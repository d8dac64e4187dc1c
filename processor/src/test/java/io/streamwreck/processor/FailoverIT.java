package io.streamwreck.processor;

import io.streamwreck.core.RecordKey;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.standin.TetheredProcess;
import io.streamwreck.local.system.LeaseTable;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two workers share 2 shards; one is killed with SIGKILL mid-run. The survivor takes its shard once the lease has
 * expired (KCL's taker needs 2-4 failover times; asserted under {@link #TAKEOVER_BOUND}), nothing is lost, and the
 * records processed twice are exactly those the dead worker handled after its last checkpoint. Every wait is for a
 * condition; its bound and the one measured time derive from the fleet's failover time.
 */
@WithLocalStack
class FailoverIT {

    private static final Duration FAILOVER = Fleet.FAILOVER_TIME;
    /**
     * KCL renews a lease every failover time / 3 and its taker passes every 2 x failover time, taking a lease it has
     * seen unchanged over two passes: 2-4 failover times after the kill by design; up to ~6 seen on a loaded machine.
     */
    private static final Duration TAKEOVER_BOUND = FAILOVER.multipliedBy(8);
    /** A worker learns it lost a lease at its next renewal: leases that stood for this long have settled. */
    private static final Duration LEASES_STABLE = FAILOVER.multipliedBy(2);
    /** Worker JVMs starting and reading, slow on a loaded machine: a bound for condition waits, never measured. */
    private static final Duration STARTUP = Duration.ofSeconds(60);

    @Test
    void aKilledWorkersShardsMoveToTheSurvivorAndOnlyRecordsAfterItsCheckpointAreProcessedTwice(LocalStack stack) throws Exception {
        TestStream stream = TestStream.create(stack, "failover", 2);
        Path dir = Files.createDirectories(Path.of("target/it", stream.name()));
        String app = "failover-app-" + stream.name();
        String topicArn = stack.sns().createTopic(b -> b.name("notices-" + stream.name())).topicArn();
        LeaseTable leases = new LeaseTable(stack, app);

        try (NoticeCollector notices = NoticeCollector.subscribe(stack, topicArn, "q-" + stream.name());
             Fleet fleet = new Fleet(stack, stream.name(), app, topicArn, dir, List.of())) {
            TetheredProcess first = fleet.start(1);
            TetheredProcess second = fleet.start(2);
            Map<String, String> checkpointsAtDeath;
            Set<String> deadShards;
            long tookOverMillis;
            // Leases settle before any record is written: a lease moved for balance also re-delivers the records after
            // its checkpoint, and this test counts the duplicates of the kill alone.
            await("leases spread over both workers").atMost(STARTUP)
                    .until(() -> owners(leases).containsAll(Set.of(Fleet.workerId(1), Fleet.workerId(2))));
            // A worker learns it lost a lease at its next renewal (every failover time / 3): wait until no lease has
            // moved for two failover times.
            Map<String, String> spread = ownerByShard(leases);
            await("leases stable").during(LEASES_STABLE).atMost(LEASES_STABLE.plus(TAKEOVER_BOUND.multipliedBy(2)))
                    .until(() -> ownerByShard(leases).equals(spread));
            deadShards = spread.entrySet().stream().filter(e -> Fleet.workerId(1).equals(e.getValue()))
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            try (ContinuousWriter load = new ContinuousWriter(stream, 50, 50)) {
                // Kill the worker after it has checkpointed, while it holds records handled since its checkpoint.
                await("worker-1 checkpointed and handled records after it").atMost(STARTUP)
                        .until(() -> {
                            Map<String, String> checkpoints = leases.checkpoints();
                            return deadShards.stream().allMatch(s -> checkpoints.get(s) != null && checkpoints.get(s).matches("\\d+"))
                                    && AuditRecords.read(fleet.auditLog(1)).completed().stream()
                                    .anyMatch(k -> after(k, checkpoints.get(k.shardId())))
                                    && !AuditRecords.read(fleet.auditLog(2)).completed().isEmpty();
                        });

                first.kill();
                long killedAt = System.nanoTime();
                checkpointsAtDeath = leases.checkpoints();

                await("the survivor holds every lease").atMost(TAKEOVER_BOUND.multipliedBy(3)).pollInterval(Duration.ofMillis(100))
                        .until(() -> owners(leases).equals(Set.of(Fleet.workerId(2))));
                tookOverMillis = (System.nanoTime() - killedAt) / 1_000_000;
                // Let the survivor process the dead worker's shards under load for a moment.
                await("the survivor handles the dead worker's shards").atMost(STARTUP).until(() -> AuditRecords.read(fleet.auditLog(2)).completed().stream()
                        .anyMatch(k -> deadShards.contains(k.shardId())));
            }
            System.out.printf("failover: worker-1 killed; worker-2 held its %d shard(s) %d ms later (failover time %d ms)%n",
                    deadShards.size(), tookOverMillis, FAILOVER.toMillis());
            // Measured from the kill to the lease table (the taker's pass and its DynamoDB write, not the new consumer's start).
            assertThat(tookOverMillis).isLessThan(TAKEOVER_BOUND.toMillis());

            Map<String, String> last = stream.lastPerShard().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sequenceNumber()));
            await("every record reported and checkpointed").atMost(STARTUP.multipliedBy(2))
                    .failFast(() -> !second.isAlive())
                    .until(() -> notices.processedCounts().keySet().containsAll(stream.written()) && leases.checkpoints().equals(last));

            AuditRecords dead = AuditRecords.read(fleet.auditLog(1));
            AuditRecords survivor = AuditRecords.read(fleet.auditLog(2));
            assertThat(dead.completed()).doesNotHaveDuplicates();
            assertThat(survivor.completed()).doesNotHaveDuplicates();
            Set<RecordKey> handled = new HashSet<>(dead.completed());
            handled.addAll(survivor.completed());
            assertThat(handled).containsAll(stream.written());

            Set<RecordKey> afterCheckpoint = dead.completed().stream()
                    .filter(k -> deadShards.contains(k.shardId()) && after(k, checkpointsAtDeath.get(k.shardId())))
                    .collect(Collectors.toSet());
            Set<RecordKey> handledTwice = new HashSet<>(dead.completed());
            handledTwice.retainAll(new HashSet<>(survivor.completed()));
            assertThat(handledTwice).as("records both workers handled").isEqualTo(afterCheckpoint);

            // The notices: a record the dead worker handled after its checkpoint is reported twice when its notice got
            // out before the kill, once when it did not; every other record exactly once.
            Map<RecordKey, Integer> counts = notices.processedCounts();
            Set<RecordKey> reportedTwice = counts.entrySet().stream().filter(e -> e.getValue() == 2)
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            assertThat(counts.values()).allMatch(c -> c == 1 || c == 2);
            assertThat(afterCheckpoint).containsAll(reportedTwice);
            Set<RecordKey> knownPublished = new HashSet<>(dead.reported());
            knownPublished.retainAll(afterCheckpoint);
            assertThat(reportedTwice).containsAll(knownPublished);
            System.out.printf("failover: %d records handled twice, %d of them reported twice%n", handledTwice.size(), reportedTwice.size());
        }
    }

    private static Map<String, String> ownerByShard(LeaseTable leases) {
        Map<String, String> owners = new java.util.TreeMap<>();
        leases.leases().forEach((shard, lease) -> owners.put(shard, String.valueOf(lease.owner())));
        return owners;
    }

    private static Set<String> owners(LeaseTable leases) {
        return leases.leases().values().stream().map(LeaseTable.Lease::owner).filter(o -> o != null).collect(Collectors.toSet());
    }

    private static boolean after(RecordKey key, String checkpoint) {
        if (checkpoint == null || !checkpoint.chars().allMatch(Character::isDigit)) {
            return true; // TRIM_HORIZON: nothing checkpointed yet
        }
        return new BigInteger(key.sequenceNumber()).compareTo(new BigInteger(checkpoint)) > 0;
    }
}
