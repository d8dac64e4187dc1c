package io.streamwreck.streamchecker;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The scan against kinesis-local and the ledger in Redis, run in this JVM ({@code --redis} mode). */
@WithLocalStack
class StreamCheckerIT {

    private static final String S0 = "shardId-000000000000";
    private static final String S1 = "shardId-000000000001";

    private static RedisLedger ledger;
    private static String redis;

    @BeforeAll
    static void connect(LocalStack stack) {
        redis = stack.endpoints().redis().toString();
        ledger = RedisLedger.connect(redis, false, Duration.ofHours(1));
    }

    @AfterAll
    static void close() {
        ledger.close();
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<String> keys(List<RecordKey> keys) {
        return keys.stream().map(RecordKey::toString).toList();
    }

    @Test
    void reportsEveryRecordExactlyProcessedOnceTwiceSkippedUndeliveredOrInFlight(LocalStack stack) {
        TestStream stream = TestStream.create(stack, "drift", 2);
        Scope scope = new Scope(stream.name(), "billing");
        TestLedger notices = new TestLedger(ledger, scope);

        List<RecordKey> p = stream.putPlain(S0, 10);
        List<RecordKey> x = stream.putAggregated(S1, 3);
        List<RecordKey> y = stream.putAggregated(S1, 2);
        List<RecordKey> z = stream.putPlain(S1, 1);
        // Shard 0: p0..p6 delivered, p3 not completed (skipped); p1 processed twice and p2 three times (one
        // notice each); p7..p9 never delivered.
        notices.notice(p.subList(0, 7), List.of(p.get(0), p.get(1), p.get(2), p.get(4), p.get(5), p.get(6)));
        notices.notice(p.subList(1, 3), p.subList(1, 3));
        notices.notice(p.subList(2, 3), p.subList(2, 3));
        // Shard 1: two aggregated records delivered as one batch of 5 user records, the last one not completed;
        // the plain record after them never delivered.
        List<RecordKey> xy = new ArrayList<>(x);
        xy.addAll(y);
        notices.notice(xy, xy.subList(0, 4));

        // Records that arrive within the settle window before the scan are in flight: the older ones must be older
        // than that, the recent ones younger. With the old records GAP before the recent ones and a settle window of
        // half of it, the split holds as long as the scan starts within GAP/2 of the recent writes — a margin for a
        // busy machine, not a race. The stand-in shares this machine's clock.
        Duration gap = Duration.ofSeconds(16);
        Duration settle = gap.dividedBy(2);
        Instant oldOnes = Instant.now();
        await().atMost(gap.multipliedBy(3)).until(() -> Instant.now().isAfter(oldOnes.plus(gap)));
        List<RecordKey> recentPlain = stream.putPlain(S0, 2);
        List<RecordKey> recentAggregate = stream.putAggregated(S1, 2);

        CheckerRun run = CheckerRun.run(stack, "--stream", stream.name(), "--app", "billing", "--redis", redis,
                "--settle", settle.toSeconds() + "s", "--format", "json", "--batch", "3");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stderr()).isEmpty();
        JsonNode report = run.report();
        assertThat(report.get("Application").asText()).isEqualTo("billing");
        assertThat(report.get("Shards").get(0).toString()).isEqualTo("{\"ShardId\":\"" + S0 + "\",\"State\":\"open\","
                + "\"Scanned\":12,\"Processed\":4,\"Duplicated\":2,\"Skipped\":1,\"Undelivered\":3,\"InFlight\":2,\"Pending\":0}");
        assertThat(report.get("Shards").get(1).toString()).isEqualTo("{\"ShardId\":\"" + S1 + "\",\"State\":\"open\","
                + "\"Scanned\":8,\"Processed\":4,\"Duplicated\":0,\"Skipped\":1,\"Undelivered\":1,\"InFlight\":2,\"Pending\":0}");
        assertThat(report.get("Total").toString()).isEqualTo("{\"Shards\":2,\"Scanned\":20,\"Processed\":8,\"Duplicated\":2,"
                + "\"Skipped\":2,\"Undelivered\":4,\"InFlight\":4,\"Pending\":0}");
        assertThat(report.get("Drift").asLong()).isEqualTo(8);
        assertThat(report.get("Duplicated").toString()).isEqualTo("[{\"Key\":\"" + p.get(1) + "\",\"Count\":2},"
                + "{\"Key\":\"" + p.get(2) + "\",\"Count\":3}]");
        assertThat(strings(report.get("Skipped"))).containsExactly(p.get(3).toString(), y.get(1).toString());
        assertThat(strings(report.get("Undelivered"))).containsExactly(p.get(7).toString(), p.get(8).toString(),
                p.get(9).toString(), z.get(0).toString());
        // The in-flight records were not sent to the checker: they appear in no list.
        assertThat(run.stdout()).doesNotContain(recentPlain.get(0).sequenceNumber(), recentAggregate.get(0).sequenceNumber());
    }

    @Test
    void closedShardsAfterAReshardAreScannedToo(LocalStack stack) {
        TestStream stream = TestStream.create(stack, "reshard", 1);
        TestLedger notices = new TestLedger(ledger, new Scope(stream.name(), "billing"));
        List<RecordKey> parent = stream.putPlain(S0, 5);
        stack.kinesis().updateShardCount(b -> b.streamName(stream.name()).targetShardCount(2).scalingType(ScalingType.UNIFORM_SCALING));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> stack.kinesis()
                .describeStreamSummary(b -> b.streamName(stream.name())).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
        List<Shard> children = stream.shards().stream().filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null).toList();
        assertThat(children).hasSize(2);
        List<RecordKey> firstChild = stream.putPlain(children.get(0).shardId(), 3);
        List<RecordKey> secondChild = stream.putPlain(children.get(1).shardId(), 4);
        // The parent's records were delivered but one was not completed: the scan must read the closed parent to see it.
        notices.notice(parent, List.of(parent.get(0), parent.get(1), parent.get(3), parent.get(4)));
        notices.processedOnce(firstChild);
        notices.processedOnce(secondChild);

        CheckerRun run = CheckerRun.run(stack, "--stream", stream.name(), "--app", "billing", "--redis", redis,
                "--settle", "0s", "--format", "json");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        JsonNode report = run.report();
        assertThat(report.get("Shards")).hasSize(3);
        assertThat(report.get("Shards").get(0).toString()).isEqualTo("{\"ShardId\":\"" + S0 + "\",\"State\":\"closed\","
                + "\"Scanned\":5,\"Processed\":4,\"Duplicated\":0,\"Skipped\":1,\"Undelivered\":0,\"InFlight\":0,\"Pending\":0}");
        assertThat(report.get("Shards").get(1).get("State").asText()).isEqualTo("open");
        assertThat(report.get("Shards").get(1).get("Processed").asLong() + report.get("Shards").get(2).get("Processed").asLong())
                .isEqualTo(7);
        assertThat(report.get("Total").get("Scanned").asLong()).isEqualTo(12);
        assertThat(strings(report.get("Skipped"))).containsExactly(parent.get(2).toString());
    }

    @Test
    void anEmptyStreamHasNoDrift(LocalStack stack) {
        TestStream stream = TestStream.create(stack, "empty", 3);

        CheckerRun run = CheckerRun.run(stack, "--stream", stream.name(), "--app", "billing", "--redis", redis, "--format", "json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode report = run.report();
        assertThat(report.get("Total").toString()).isEqualTo("{\"Shards\":3,\"Scanned\":0,\"Processed\":0,\"Duplicated\":0,"
                + "\"Skipped\":0,\"Undelivered\":0,\"InFlight\":0,\"Pending\":0}");
        assertThat(report.get("Drift").asLong()).isZero();
    }

    @Test
    void aCleanStreamInTextSaysNoDrift(LocalStack stack) {
        TestStream stream = TestStream.create(stack, "clean", 2);
        TestLedger notices = new TestLedger(ledger, new Scope(stream.name(), "billing"));
        notices.processedOnce(stream.putPlain(S0, 25));
        notices.processedOnce(stream.putAggregated(S1, 4));

        CheckerRun run = CheckerRun.run(stack, "--stream", stream.name(), "--app", "billing", "--redis", redis, "--settle", "0s");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("total                  2 shards          29          29           0         0            0          0",
                "no drift: every record judged was processed exactly once");
    }

    @Test
    void theReportCanGoToAFile(LocalStack stack, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        TestStream stream = TestStream.create(stack, "to-file", 1);
        stream.putPlain(S0, 3);
        java.nio.file.Path file = dir.resolve("report.json");

        CheckerRun run = CheckerRun.run(stack, "--stream", stream.name(), "--app", "billing", "--redis", redis, "--settle", "0s",
                "--format", "json", "--output", file.toString());

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stdout()).isEmpty();
        assertThat(java.nio.file.Files.readString(file)).contains("\"Undelivered\" : [", stream.name());
    }

    @Test
    void aScanFromATimestampSkipsOlderRecords(LocalStack stack) {
        TestStream stream = TestStream.create(stack, "from-ts", 1);
        stream.putPlain(S0, 4);
        Instant between = Instant.now();
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(between.plusMillis(1200)));
        Instant from = Instant.now();
        TestLedger notices = new TestLedger(ledger, new Scope(stream.name(), "billing"));
        notices.processedOnce(stream.putPlain(S0, 2));

        CheckerRun run = CheckerRun.run(stack, "--stream", stream.name(), "--app", "billing", "--redis", redis, "--settle", "0s",
                "--from", "at-timestamp=" + from, "--format", "json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.report().get("Total").get("Scanned").asLong()).isEqualTo(2);
        assertThat(run.report().get("From").asText()).isEqualTo("at-timestamp=" + from);
    }
}
