package io.streamwreck.streamchecker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.Classification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --shards, --bucket and merge without a stream: the parts, the usage errors, reading a report back. */
class SplitAndMergeTest {

    private static final String S0 = "shardId-000000000000";
    private static final String S1 = "shardId-000000000001";
    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    private static final long B0 = START.getEpochSecond() - 120;

    @Test
    void everyShardIsInExactlyOnePartAndTheSameOneEveryTime() {
        for (int n = 1; n <= 5; n++) {
            for (int shard = 0; shard < 40; shard++) {
                String id = String.format("shardId-%012d", shard);
                int in = 0;
                for (int i = 1; i <= n; i++) {
                    if (new ShardPart(i, n).contains(id)) {
                        in++;
                        assertThat(i).isEqualTo(shard % n + 1);
                    }
                }
                assertThat(in).isEqualTo(1);
            }
        }
        // An id of another spelling is placed by its checksum, also in exactly one part.
        assertThat(new ShardPart(1, 2).contains("odd-shard-x") ^ new ShardPart(2, 2).contains("odd-shard-x")).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--shards 3/2  | --shards: \"3/2\" is not a part i/N with 1 <= i <= N, e.g. 1/2 and 2/2 for two machines",
            "--shards half | --shards: \"half\" is not a part i/N",
            "--shards 0/2  | --shards: \"0/2\" is not a part i/N",
            "--bucket 90ms | --bucket: \"90ms\" is not a whole number of seconds (1s or more), e.g. 1m, 10m, 1h or auto",
            "--bucket soon | --bucket: \"soon\" is not a duration",
            "--format xml  | --format must be text or json, was \"xml\", or html (the page)",
    })
    void badSplitsAndBucketsAreOneErrorLine(String args, String message) {
        List<String> all = new ArrayList<>(List.of("--stream", "orders", "--app", "billing", "--redis", "redis://127.0.0.1:1"));
        all.addAll(List.of(args.trim().split("\\s+")));
        CheckerRun run = CheckerRun.run(all.toArray(String[]::new));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr().lines()).singleElement().satisfies(line -> assertThat(line).startsWith("error: ").contains(message.trim()));
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void mergeWithoutReportsIsAUsageError() {
        CheckerRun run = CheckerRun.run("merge");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr().lines()).singleElement().satisfies(line -> assertThat(line).startsWith("error: ")
                .contains("REPORT.json"));
    }

    private static ScanReport part(String shard, String part, Instant start, long skippedAt) {
        Map<String, Counts> cell = Map.of(shard, new Counts(10, 9, 0, 1, 0, 0));
        TreeMap<Long, Map<String, Counts>> cells = new TreeMap<>(Map.of(B0 + skippedAt, cell));
        return new ScanReport("orders", "billing", StartPosition.TRIM_HORIZON, Duration.ZERO, start, 1.0,
                List.of(new ShardSummary(shard, false, new Counts(10, 9, 0, 1, 0, 0))),
                List.of(new DriftedKey(RecordKey.of(shard, "7"), Classification.SKIPPED, 0, Instant.ofEpochSecond(B0 + skippedAt))),
                new Timeline(Duration.ofSeconds(1), true, cells), part);
    }

    private static Path json(Path dir, String name, ScanReport report) throws Exception {
        StringWriter w = new StringWriter();
        JsonReport.write(report, w);
        Path file = dir.resolve(name);
        Files.writeString(file, w.toString());
        return file;
    }

    @Test
    void aJsonReportReadsBackAsTheSameReport(@TempDir Path dir) throws Exception {
        ScanReport report = part(S0, "1/2", START, 3);
        assertThat(ReportFile.read(json(dir, "a.json", report))).isEqualTo(report);
    }

    @Test
    void mergedPartsAddUpAndCoverTheWholeSplit(@TempDir Path dir) throws Exception {
        Path a = json(dir, "a.json", part(S0, "1/2", START, 3));
        Path b = json(dir, "b.json", part(S1, "2/2", START.plusSeconds(30), 5));

        CheckerRun run = CheckerRun.run("merge", a.toString(), b.toString(), "--format", "text");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stdout()).contains("2 shards from trim-horizon up to " + START,
                "total                  2 shards          20          18           0         2            0          0",
                "drift by arrival time (buckets of 1s, UTC):",
                "  " + Instant.ofEpochSecond(B0 + 3) + "  1 of 10 scanned: 1 skipped; " + S0,
                "  " + Instant.ofEpochSecond(B0 + 5) + "  1 of 10 scanned: 1 skipped; " + S1);
        CheckerRun asJson = CheckerRun.run("merge", a.toString(), b.toString());
        assertThat(asJson.report().get("Part").isNull()).isTrue();
        assertThat(asJson.report().get("Timeline").get("DriftedBuckets").get("Skipped").toString()).isEqualTo("[0,1]");
    }

    @Test
    void scansThatStartedTooFarApartAreRefused(@TempDir Path dir) throws Exception {
        Path a = json(dir, "a.json", part(S0, "1/2", START, 3));
        Path b = json(dir, "b.json", part(S1, "2/2", START.plus(Duration.ofMinutes(11)), 5));

        CheckerRun run = CheckerRun.run("merge", a.toString(), b.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).isEqualTo("error: the scans started 11m apart (" + a + " at " + START + ", " + b + " at "
                + START.plus(Duration.ofMinutes(11)) + "), more than --max-apart 10m: they judged different windows of the stream"
                + System.lineSeparator());
        assertThat(CheckerRun.run("merge", a.toString(), b.toString(), "--max-apart", "15m").exitCode()).isEqualTo(1);
    }

    @Test
    void aReportThatIsNotOneIsNamed(@TempDir Path dir) throws Exception {
        Path notReport = dir.resolve("x.json");
        Files.writeString(notReport, "{\"Stream\":\"orders\"}");
        assertThatThrownBy(() -> ReportFile.read(notReport))
                .hasMessage(notReport + ": not a stream-checker JSON report (no list \"Shards\")");
        CheckerRun run = CheckerRun.run("merge", dir.resolve("missing.json").toString());
        assertThat(run.stderr()).isEqualTo("error: " + dir.resolve("missing.json") + ": no such file" + System.lineSeparator());
    }

    @Test
    void thePageOfAReportWithoutDriftSaysSo() throws Exception {
        ScanReport clean = new ScanReport("orders", "billing", StartPosition.TRIM_HORIZON, Duration.ZERO, START, 1.0,
                List.of(new ShardSummary(S0, false, new Counts(5, 5, 0, 0, 0, 0))), List.of());
        StringWriter out = new StringWriter();
        HtmlReport.write(clean, new PrintWriter(out));
        assertThat(out.toString()).contains("<h1 id=\"verdict\" class=\"clean\">No drift: every record judged was processed exactly once</h1>",
                "This report has no timeline").doesNotContain("http://", "https://");
    }
}
