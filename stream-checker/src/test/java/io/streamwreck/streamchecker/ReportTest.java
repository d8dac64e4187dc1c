package io.streamwreck.streamchecker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.ShardProgress;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {

    private static final String S0 = "shardId-000000000000";
    private static final String S1 = "shardId-000000000001";

    private final ScanReport report = new ScanReport("orders", "billing", StartPosition.TRIM_HORIZON, Duration.ofSeconds(60),
            Instant.parse("2026-11-22T10:00:00Z"), 2.0,
            List.of(new ShardSummary(S0, true, new Counts(10, 7, 1, 1, 1, 0)),
                    new ShardSummary(S1, false, new Counts(5, 3, 0, 0, 0, 2))),
            List.of(new DriftedKey(RecordKey.of(S0, "100"), Classification.DUPLICATED, 2),
                    new DriftedKey(RecordKey.of(S0, "101", 4), Classification.SKIPPED, 0),
                    new DriftedKey(RecordKey.of(S0, "102"), Classification.UNDELIVERED, 0)));

    @Test
    void textHasATableAndTheFirstDriftedKeys() {
        StringWriter out = new StringWriter();
        TextReport.write(report, 2, new PrintWriter(out));

        assertThat(out.toString()).contains(
                "stream orders, application billing: 2 shards from trim-horizon up to 2026-11-22T10:00:00Z, settle 1m",
                "shardId-000000000000   closed            10           7           1         1            1          0",
                "shardId-000000000001   open               5           3           0         0            0          2",
                "total                  2 shards          15          10           1         1            1          2",
                "scanned 15 records in 2.0 s (8 records/s)",
                "drift: 3 records (1 duplicated, 1 skipped, 1 undelivered)",
                "  duplicated   shardId-000000000000:100  processed 2 times",
                "  skipped      shardId-000000000000:101:4",
                "  … and 1 more (--show N lists more; --format json lists all)");
        assertThat(out.toString()).doesNotContain("shardId-000000000000:102");
    }

    @Test
    void pendingRecordsAreCountedApartWithTheirShardsCheckpointAndLagAndAreNotDrift() throws Exception {
        ShardSummary.Lag lag = new ShardSummary.Lag(new ShardProgress(ShardProgress.State.READ_TO, "100", 0), 4,
                report.scanStart().minusSeconds(125));
        ScanReport lagging = new ScanReport("orders", "billing", StartPosition.TRIM_HORIZON, Duration.ZERO, report.scanStart(), 1.0,
                List.of(new ShardSummary(S1, false, new Counts(9, 5, 0, 0, 0, 0, 4), lag)), List.of(),
                "checkpoints of 1 shard from the lease table billing");
        StringWriter text = new StringWriter();
        TextReport.write(lagging, 20, new PrintWriter(text));
        StringWriter json = new StringWriter();
        JsonReport.write(lagging, json);
        JsonNode shard = new ObjectMapper().readTree(json.toString()).get("Shards").get(0);

        assertThat(lagging.drift()).isFalse();
        assertThat(text.toString()).contains(
                "shardId-000000000001   open               9           5           0         0            0          0         4",
                "checkpoints: checkpoints of 1 shard from the lease table billing",
                "pending: 4 records the consumer has not reached yet (lag, not drift)",
                "  pending      shardId-000000000001  4 records after checkpoint 100, the oldest arrived 125s before the scan",
                "no drift");
        assertThat(shard.get("Pending").asLong()).isEqualTo(4);
        assertThat(shard.get("Checkpoint").toString()).isEqualTo("{\"State\":\"READ_TO\",\"Checkpoint\":\"100\",\"SubSequenceNumber\":0}");
        assertThat(shard.get("Behind").toString()).isEqualTo("{\"Records\":4,\"Seconds\":125}");
    }

    @Test
    void textWithoutDriftSaysSoAndCountsTheInFlightRecords() {
        ScanReport clean = new ScanReport("orders", null, StartPosition.TRIM_HORIZON, Duration.ZERO, report.scanStart(), 1.0,
                List.of(new ShardSummary(S1, false, new Counts(5, 3, 0, 0, 0, 2))), List.of());
        StringWriter out = new StringWriter();
        TextReport.write(clean, 20, new PrintWriter(out));

        assertThat(out.toString()).contains("application (the checker's default)", "settle 0s",
                "no drift: every record judged was processed exactly once (2 in flight, not judged yet)");
        assertThat(clean.drift()).isFalse();
    }

    @Test
    void jsonListsEverything() throws Exception {
        StringWriter out = new StringWriter();
        JsonReport.write(report, out);
        JsonNode json = new ObjectMapper().readTree(out.toString());

        assertThat(json.get("Stream").asText()).isEqualTo("orders");
        assertThat(json.get("Settle").asText()).isEqualTo("PT1M");
        assertThat(json.get("Shards").get(0).toString()).isEqualTo("{\"ShardId\":\"shardId-000000000000\",\"State\":\"closed\","
                + "\"Scanned\":10,\"Processed\":7,\"Duplicated\":1,\"Skipped\":1,\"Undelivered\":1,\"InFlight\":0,\"Pending\":0}");
        assertThat(json.get("Total").toString()).isEqualTo("{\"Shards\":2,\"Scanned\":15,\"Processed\":10,\"Duplicated\":1,"
                + "\"Skipped\":1,\"Undelivered\":1,\"InFlight\":2,\"Pending\":0}");
        assertThat(json.get("Drift").asLong()).isEqualTo(3);
        assertThat(json.get("Duplicated").toString()).isEqualTo("[{\"Key\":\"shardId-000000000000:100\",\"Count\":2}]");
        assertThat(json.get("Skipped").toString()).isEqualTo("[\"shardId-000000000000:101:4\"]");
        assertThat(json.get("Undelivered").toString()).isEqualTo("[\"shardId-000000000000:102\"]");
    }
}
