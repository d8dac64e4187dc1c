package io.streamwreck.processor;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.Notice;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.standin.TetheredProcess;
import io.streamwreck.local.system.LeaseTable;
import io.streamwreck.processor.handler.CountingRecordHandler;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One worker, 2 shards, 10,000 records, {@code --simulate-skip 5}: the notices report exactly the records not skipped. */
@WithLocalStack
class SimulatedSkipIT {

    @Test
    void noticesCoverExactlyTheRecordsNotSkippedAndCheckpointsReachTheEnd(LocalStack stack) throws Exception {
        TestStream stream = TestStream.create(stack, "skip", 2);
        Path dir = Files.createDirectories(Path.of("target/it", stream.name()));
        String app = "skip-app-" + stream.name();
        String topicArn = stack.sns().createTopic(b -> b.name("notices-" + stream.name())).topicArn();
        List<RecordKey> written = stream.write(10_000);
        CountingRecordHandler simulation = new CountingRecordHandler(5);
        Set<RecordKey> expected = written.stream().filter(k -> !simulation.skips(k.sequenceNumber())).collect(Collectors.toSet());
        assertThat(written.size() - expected.size()).as("records the simulation skips").isBetween(1_500, 2_500);

        try (NoticeCollector notices = NoticeCollector.subscribe(stack, topicArn, "q-" + stream.name());
             Fleet fleet = new Fleet(stack, stream.name(), app, topicArn, dir, List.of("--simulate-skip", "5"))) {
            TetheredProcess worker = fleet.start(1);
            LeaseTable leases = new LeaseTable(stack, app);
            Map<String, String> lastSequence = stream.lastPerShard().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sequenceNumber()));

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .failFast(() -> !worker.isAlive())
                    .until(() -> notices.processedCounts().keySet().containsAll(expected)
                            && leases.checkpoints().equals(lastSequence));

            Map<RecordKey, Integer> counts = notices.processedCounts();
            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(counts.values()).containsOnly(1);
            // Every record was delivered: the batches' ranges cover every written key, skipped ones included.
            for (RecordKey key : written) {
                assertThat(notices.notices()).as("a delivered batch holding %s", key)
                        .anyMatch(n -> n.shardId().equals(key.shardId()) && within(key, n));
            }
            assertThat(notices.notices()).allMatch(n -> n.version() == Notice.COMPACT_VERSION);
            assertThat(notices.notices().stream().mapToInt(n -> n.batch().received()).sum()).isEqualTo(written.size());

            // The operator's view: progress lines say the worker is reading, reporting and checkpointing.
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(worker.logFile())
                    .contains("progress: 10000 records received, " + expected.size() + " handled"));
            worker.stop(Duration.ofSeconds(30));
            assertThat(worker.exitValue()).as("exit code after SIGTERM and a graceful shutdown").isEqualTo(143);
            assertThat(worker.logTail(5)).contains("graceful shutdown complete").doesNotContain("error");
            assertThat(AuditRecords.read(fleet.auditLog(1)).completed()).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    private static boolean within(RecordKey key, Notice n) {
        BigInteger seq = new BigInteger(key.sequenceNumber());
        return seq.compareTo(new BigInteger(n.batch().first())) >= 0 && seq.compareTo(new BigInteger(n.batch().last())) <= 0;
    }
}
