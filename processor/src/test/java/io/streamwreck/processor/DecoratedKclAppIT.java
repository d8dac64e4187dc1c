package io.streamwreck.processor;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.Notice;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.standin.TetheredProcess;
import io.streamwreck.local.system.LeaseTable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link UsualKclApp} — a KCL application with its own processor that checkpoints itself every
 * {@link #CHECKPOINT_EVERY} records — reconciled by one line ({@code GatedProcessorFactory.wrap}), each run as its own
 * JVM on the local stack. The notices equal what the application processed; with SNS frozen (moto SIGSTOPped, as in
 * SnsOutageIT) none of its checkpoints passes a notice SNS had not accepted; after {@code kill -9} the records it
 * handled after its last checkpoint are handled again by the next worker and reported twice when their first notice
 * got out.
 */
@WithLocalStack
class DecoratedKclAppIT {

    private static final int CHECKPOINT_EVERY = 20;
    private static final Duration FAILOVER_TIME = Fleet.FAILOVER_TIME;
    /** How long SNS is down: the fault itself, not a wait. Several SNS call timeouts (5 s). */
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    /** A JVM's start, KCL's lease table and first checkpoint, slow on a loaded machine; a bound, never a measurement. */
    private static final Duration STARTUP = Duration.ofSeconds(120);


    @Test
    void noticesEqualWhatTheApplicationProcessedAndNoCheckpointPassesAnUnpublishedNotice(LocalStack stack) throws Exception {
        TestStream stream = TestStream.create(stack, "decorated", 2);
        Path dir = Files.createDirectories(Path.of("target/it", stream.name()));
        String app = "decorated-app-" + stream.name();
        String topicArn = stack.sns().createTopic(b -> b.name("notices-" + stream.name())).topicArn();
        LeaseTable leases = new LeaseTable(stack, app);
        Path processed = dir.resolve("processed-1.txt");

        try (NoticeCollector notices = NoticeCollector.subscribe(stack, topicArn, "q-" + stream.name());
             TetheredProcess worker = start(stack, stream, app, topicArn, dir, 1, processed)) {
            List<CheckpointInvariant.Observed> duringOutage = new ArrayList<>();
            Instant resumedAt;
            try (ContinuousWriter load = new ContinuousWriter(stream, 50, 50)) {
                await("the application checkpointing both shards").atMost(STARTUP).failFast(() -> !worker.isAlive())
                        .until(() -> CheckpointInvariant.numeric(leases.checkpoints()).size() == 2);
                stack.pauseMoto();
                try {
                    long end = System.nanoTime() + OUTAGE.toNanos();
                    while (System.nanoTime() < end) {
                        CheckpointInvariant.numeric(leases.checkpoints()).forEach((shard, c) -> duringOutage.add(new CheckpointInvariant.Observed(shard, c)));
                        Thread.sleep(Fleet.POLL_INTERVAL.toMillis()); // sampling the lease table, not waiting for a condition
                    }
                    assertThat(worker.isAlive()).isTrue();
                } finally {
                    resumedAt = Instant.now();
                    stack.resumeMoto();
                }
            }
            await("every record processed and reported after recovery").atMost(STARTUP.plus(OUTAGE))
                    .pollInterval(Duration.ofMillis(500)).failFast(() -> !worker.isAlive())
                    .until(() -> notices.processedCounts().keySet().containsAll(stream.written()));

            // Notices equal what the application processed: every record once, nothing it did not process.
            List<RecordKey> handled = read(processed);
            assertThat(handled).doesNotHaveDuplicates();
            Map<RecordKey, Integer> counts = notices.processedCounts();
            assertThat(counts.keySet()).isEqualTo(Set.copyOf(handled));
            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(Set.copyOf(stream.written()));
            assertThat(counts.values()).containsOnly(1);

            Map<RecordKey, Instant> acceptedAt = new HashMap<>();
            for (Notice n : notices.notices()) {
                Instant sent = notices.sentAt(n.id());
                assertThat(sent).as("SentTimestamp of notice %s", n.id()).isNotNull();
                n.processed().forEach(k -> acceptedAt.put(k, sent));
            }
            CheckpointInvariant.holds(duringOutage, handled, acceptedAt, resumedAt);

            // A graceful stop: the application's checkpoint in shutdownRequested takes effect once its notices are out.
            Map<String, String> last = stream.lastPerShard().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sequenceNumber()));
            worker.stop(Duration.ofSeconds(30));
            assertThat(leases.checkpoints()).isEqualTo(last);
        }
    }

    @Test
    void afterKillMinus9TheRecordsHandledTwiceAreReportedTwice(LocalStack stack) throws Exception {
        TestStream stream = TestStream.create(stack, "decorated-kill", 2);
        Path dir = Files.createDirectories(Path.of("target/it", stream.name()));
        String app = "decorated-kill-app-" + stream.name();
        String topicArn = stack.sns().createTopic(b -> b.name("notices-" + stream.name())).topicArn();
        LeaseTable leases = new LeaseTable(stack, app);
        Path firstProcessed = dir.resolve("processed-1.txt");
        Path secondProcessed = dir.resolve("processed-2.txt");

        try (NoticeCollector notices = NoticeCollector.subscribe(stack, topicArn, "q-" + stream.name())) {
            Map<String, String> checkpointsAtDeath;
            Instant killedAt;
            TetheredProcess second;
            try (ContinuousWriter load = new ContinuousWriter(stream, 50, 50);
                 TetheredProcess first = start(stack, stream, app, topicArn, dir, 1, firstProcessed)) {
                // Killed while it holds records it handled and reported after its last checkpoint.
                await("worker-1 checkpointed and reported records after it").atMost(STARTUP).failFast(() -> !first.isAlive())
                        .until(() -> {
                            Map<String, String> checkpoints = leases.checkpoints();
                            Set<RecordKey> reported = notices.processedCounts().keySet();
                            return CheckpointInvariant.numeric(checkpoints).size() == 2
                                    && reported.stream().filter(k -> after(k, checkpoints.get(k.shardId()))).count() >= 2;
                        });
                killedAt = Instant.now();
                first.kill();
                checkpointsAtDeath = leases.checkpoints();
                second = start(stack, stream, app, topicArn, dir, 2, secondProcessed);
                await("worker-2 handles both shards").atMost(STARTUP.plus(FAILOVER_TIME.multipliedBy(8))).failFast(() -> !second.isAlive())
                        .until(() -> read(secondProcessed).stream().map(RecordKey::shardId).distinct().count() == 2);
            }
            try (second) {
                await("every record reported").atMost(STARTUP).pollInterval(Duration.ofMillis(500)).failFast(() -> !second.isAlive())
                        .until(() -> notices.processedCounts().keySet().containsAll(stream.written()));

                List<RecordKey> dead = read(firstProcessed);
                List<RecordKey> survivor = read(secondProcessed);
                assertThat(dead).doesNotHaveDuplicates();
                assertThat(survivor).doesNotHaveDuplicates();
                Set<RecordKey> afterCheckpoint = dead.stream().filter(k -> after(k, checkpointsAtDeath.get(k.shardId())))
                        .collect(Collectors.toSet());
                Set<RecordKey> handledTwice = new HashSet<>(dead);
                handledTwice.retainAll(new HashSet<>(survivor));
                assertThat(handledTwice).as("records both workers handled: those after the dead one's checkpoints").isEqualTo(afterCheckpoint);

                Map<RecordKey, Integer> counts = notices.processedCounts();
                Set<RecordKey> reportedTwice = counts.entrySet().stream().filter(e -> e.getValue() == 2)
                        .map(Map.Entry::getKey).collect(Collectors.toSet());
                assertThat(counts.values()).allMatch(c -> c == 1 || c == 2);
                assertThat(counts.keySet()).isEqualTo(union(dead, survivor));
                // Reported twice: only records handled twice, and every one of them whose first notice got out before the kill.
                assertThat(handledTwice).containsAll(reportedTwice);
                // SNS accepted these notices of the dead worker before the kill (SentTimestamp): their records are
                // reported by it, and again by the survivor, which starts from the checkpoint they lie after.
                Set<RecordKey> firstNoticeOut = new HashSet<>();
                for (Notice n : notices.notices()) {
                    Instant sent = notices.sentAt(n.id());
                    if (n.worker().equals("usual-worker-1") && sent != null && sent.isBefore(killedAt)) {
                        firstNoticeOut.addAll(n.processed());
                    }
                }
                firstNoticeOut.retainAll(afterCheckpoint);
                assertThat(firstNoticeOut).isNotEmpty();
                assertThat(reportedTwice).containsAll(firstNoticeOut);
                System.out.printf("decorator kill -9: %d records handled twice, %d of them reported twice%n",
                        handledTwice.size(), reportedTwice.size());
            }
        }
    }

    private static TetheredProcess start(LocalStack stack, TestStream stream, String app, String topicArn, Path dir, int n,
                                         Path processed) {
        Map<String, String> env = new HashMap<>(stack.endpoints().environment());
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), UsualKclApp.class.getName(),
                stream.name(), app, topicArn, "usual-worker-" + n, processed.toAbsolutePath().toString(),
                String.valueOf(CHECKPOINT_EVERY), String.valueOf(FAILOVER_TIME.toMillis()));
        return TetheredProcess.start("usual-worker-" + n, command, env, dir, dir.resolve("usual-worker-" + n + ".log"));
    }

    private static List<RecordKey> read(Path processed) throws IOException {
        if (!Files.exists(processed)) {
            return List.of();
        }
        return Files.readAllLines(processed).stream().filter(l -> !l.isBlank()).map(l -> {
            int colon = l.indexOf(':');
            return RecordKey.of(l.substring(0, colon), l.substring(colon + 1));
        }).toList();
    }

    private static Set<RecordKey> union(List<RecordKey> a, List<RecordKey> b) {
        Set<RecordKey> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private static boolean after(RecordKey key, String checkpoint) {
        if (checkpoint == null || !checkpoint.chars().allMatch(Character::isDigit)) {
            return true; // TRIM_HORIZON: nothing checkpointed yet
        }
        return new BigInteger(key.sequenceNumber()).compareTo(new BigInteger(checkpoint)) > 0;
    }

}
