package io.streamwreck.streamchecker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The drift report's timeline, page and merge against a real scan: a 4-shard stream on kinesis-local, written in
 * two waves seconds apart, processed with {@code make run}'s simulated drift (every fifth record skipped) plus a few
 * records processed twice and a few never delivered, judged through the ledger in Redis. The page is opened in
 * headless Chromium (Debian's, installed by bin/deps); its screenshot is kept in target/drift-page/.
 */
@WithLocalStack
class DriftPageIT {

    private static final Path OUT = Path.of("target", "drift-page");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RedisLedger ledger;
    private static LocalStack stack;
    private static String redis;
    private static TestStream stream;
    private static JsonNode whole;
    private static Path wholeFile;

    @BeforeAll
    static void scanOnce(LocalStack localStack) throws Exception {
        stack = localStack;
        redis = stack.endpoints().redis().toString();
        ledger = RedisLedger.connect(redis, false, Duration.ofHours(1));
        Files.createDirectories(OUT);
        stream = TestStream.create(stack, "page", 4);
        TestLedger notices = new TestLedger(ledger, new Scope(stream.name(), "billing"));
        List<String> shards = stream.shards().stream().map(s -> s.shardId()).toList();
        wave(notices, shards, 0);
        // The second wave arrives at least two seconds later: the timeline (one-second buckets at this span) must
        // then hold at least two buckets of drift.
        Instant firstWave = Instant.now();
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(firstWave.plusSeconds(2)));
        wave(notices, shards, 1);

        wholeFile = OUT.resolve("whole.json");
        CheckerRun run = scan("--format", "json", "-o", wholeFile.toString());
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        whole = JSON.readTree(Files.readString(wholeFile));
    }

    /** 60 records a shard: every fifth skipped, the third processed twice, the last two of wave 1 never delivered. */
    private static void wave(TestLedger notices, List<String> shards, int wave) {
        for (String shard : shards) {
            List<RecordKey> keys = stream.putPlain(shard, 60);
            List<RecordKey> delivered = wave == 1 ? keys.subList(0, keys.size() - 2) : keys;
            List<RecordKey> processed = new ArrayList<>();
            for (int i = 0; i < delivered.size(); i++) {
                if (i % 5 != 4) {
                    processed.add(delivered.get(i));
                }
            }
            notices.notice(delivered, processed);
            notices.notice(keys.subList(2, 3), keys.subList(2, 3));
        }
    }

    @AfterAll
    static void close() {
        ledger.close();
    }

    private static CheckerRun scan(String... args) {
        List<String> all = new ArrayList<>(List.of("--stream", stream.name(), "--app", "billing", "--redis", redis,
                "--settle", "0s"));
        all.addAll(List.of(args));
        return CheckerRun.run(stack, all.toArray(String[]::new));
    }

    private static JsonNode withoutRunFields(JsonNode report) {
        ObjectNode copy = report.deepCopy();
        copy.remove("ScanStarted");
        copy.remove("Seconds");
        return copy;
    }

    @Test
    void theJsonReportHasATimelineThatAddsUpToTheTotals() {
        JsonNode timeline = whole.get("Timeline");
        assertThat(timeline.get("Automatic").asBoolean()).isTrue();
        JsonNode buckets = timeline.get("Buckets");
        assertThat(buckets.size()).isGreaterThanOrEqualTo(2);
        for (String field : List.of("Scanned", "Processed", "Duplicated", "Skipped", "Undelivered", "InFlight", "Pending")) {
            long sum = 0;
            for (JsonNode b : buckets) {
                sum += b.get(field).asLong();
                long perShard = 0;
                for (JsonNode s : b.get("Shards")) {
                    perShard += s.get(field).asLong();
                }
                assertThat(perShard).as(field + " of the shards of bucket " + b.get("Start")).isEqualTo(b.get(field).asLong());
            }
            assertThat(sum).as(field).isEqualTo(whole.get("Total").get(field).asLong());
        }
        assertThat(whole.get("Total").get("Scanned").asLong()).isEqualTo(4 * 120);
        assertThat(whole.get("Total").get("Duplicated").asLong()).isEqualTo(4 * 2);
        assertThat(whole.get("Total").get("Undelivered").asLong()).isEqualTo(4 * 2);
        // Every drifted key has its bucket, and the keys of a class in a bucket are as many as the bucket counts.
        for (String list : List.of("Duplicated", "Skipped", "Undelivered")) {
            JsonNode indexes = timeline.get("DriftedBuckets").get(list);
            assertThat(indexes.size()).isEqualTo(whole.get(list).size());
            long[] perBucket = new long[buckets.size()];
            indexes.forEach(i -> perBucket[i.asInt()]++);
            for (int i = 0; i < buckets.size(); i++) {
                assertThat(perBucket[i]).as(list + " in bucket " + i).isEqualTo(buckets.get(i).get(list).asLong());
            }
        }
    }

    @Test
    void theTextReportHasALinePerBucketWithDrift() {
        CheckerRun run = scan();
        assertThat(run.exitCode()).isEqualTo(1);
        long bucketsWithDrift = 0;
        for (JsonNode b : whole.get("Timeline").get("Buckets")) {
            if (b.get("Duplicated").asLong() + b.get("Skipped").asLong() + b.get("Undelivered").asLong() > 0) {
                bucketsWithDrift++;
                assertThat(run.stdout()).contains("  " + b.get("Start").asText() + "  ");
            }
        }
        assertThat(run.stdout()).contains("drift by arrival time (buckets of "
                + Settle.describe(Duration.parse(whole.get("Timeline").get("Bucket").asText())) + ", UTC):");
        assertThat(run.stdout().lines().filter(l -> l.matches("  \\d{4}-\\d\\d-\\d\\dT.*scanned: .*"))).hasSize((int) bucketsWithDrift);
    }

    @Test
    void twoHalvesMergedEqualTheWholeScan() throws Exception {
        Path a = OUT.resolve("half-1.json");
        Path b = OUT.resolve("half-2.json");
        assertThat(scan("--shards", "1/2", "--format", "json", "-o", a.toString()).exitCode()).isEqualTo(1);
        assertThat(scan("--shards", "2/2", "--format", "json", "-o", b.toString()).exitCode()).isEqualTo(1);
        JsonNode first = JSON.readTree(Files.readString(a));
        JsonNode second = JSON.readTree(Files.readString(b));
        assertThat(first.get("Part").asText()).isEqualTo("1/2");
        assertThat(first.get("Shards").size()).isEqualTo(2);
        assertThat(second.get("Shards").size()).isEqualTo(2);
        Set<String> ids = new HashSet<>();
        first.get("Shards").forEach(s -> ids.add(s.get("ShardId").asText()));
        second.get("Shards").forEach(s -> assertThat(ids.add(s.get("ShardId").asText())).isTrue());

        CheckerRun merged = CheckerRun.run("merge", a.toString(), b.toString());

        assertThat(merged.exitCode()).as(merged.stderr()).isEqualTo(1);
        assertThat(merged.stderr()).isEmpty();
        assertThat(merged.report()).isEqualTo(withoutRunFields(whole));
    }

    @Test
    void reportsThatDoNotBelongTogetherAreRefused() throws Exception {
        Path other = OUT.resolve("other-app.json");
        ObjectNode otherApp = whole.deepCopy();
        otherApp.put("Application", "shipping");
        Files.writeString(other, otherApp.toString());
        Path late = OUT.resolve("other-window.json");
        ObjectNode otherWindow = whole.deepCopy();
        otherWindow.put("Settle", "PT5M");
        Files.writeString(late, otherWindow.toString());

        CheckerRun app = CheckerRun.run("merge", wholeFile.toString(), other.toString());
        CheckerRun window = CheckerRun.run("merge", wholeFile.toString(), late.toString());
        CheckerRun twice = CheckerRun.run("merge", wholeFile.toString(), wholeFile.toString());
        CheckerRun notJson = CheckerRun.run("merge", wholeFile.toString(), "pom.xml");

        assertThat(app.exitCode()).isEqualTo(2);
        assertThat(app.stderr()).isEqualTo("error: " + other + " is a report of application \"shipping\", " + wholeFile
                + " of \"billing\": only reports of one stream, application and scan window merge" + System.lineSeparator());
        assertThat(window.exitCode()).isEqualTo(2);
        assertThat(window.stderr()).startsWith("error: " + late + " is a report of settle window (--settle) \"5m\"");
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.stderr()).contains("is in both " + wholeFile + " and " + wholeFile);
        assertThat(notJson.exitCode()).isEqualTo(2);
        assertThat(notJson.stderr()).startsWith("error: pom.xml: not JSON");
        for (CheckerRun r : List.of(app, window, twice, notJson)) {
            assertThat(r.stdout()).isEmpty();
            assertThat(r.stderr().lines()).hasSize(1);
        }
    }

    @Test
    void thePageInChromiumShowsTheTotalsFiltersAndLinksBucketsToTheirKeys() throws Exception {
        Path page = OUT.resolve("report.html").toAbsolutePath();
        CheckerRun run = scan("--format", "html", "-o", page.toString());
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        String html = Files.readString(page);
        assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//");

        try (HeadlessChromium browser = HeadlessChromium.start(OUT.toAbsolutePath())) {
            browser.open(page, null);
            browser.screenshot(OUT.resolve("report.png"));

            // The verdict first, and the same totals as the JSON report.
            assertThat(browser.evaluate("document.body.firstElementChild.querySelector('h1').id").asText()).isEqualTo("verdict");
            JsonNode total = whole.get("Total");
            assertThat(browser.evaluate("document.getElementById('verdict').textContent").asText())
                    .startsWith(String.format(java.util.Locale.ROOT, "Drift: %,d of %,d records drifted",
                            whole.get("Drift").asLong(), total.get("Scanned").asLong()));
            for (String field : List.of("Scanned", "Processed", "Duplicated", "Skipped", "Undelivered", "InFlight", "Pending")) {
                assertThat(browser.evaluate("document.querySelector('#totals-table td[data-field=" + field + "]').textContent")
                        .asText().replace(",", "")).as(field).isEqualTo(total.get(field).asText());
            }
            assertThat(browser.evaluate("document.querySelectorAll('#shard-table tbody tr').length").asInt()).isEqualTo(4);
            // The embedded JSON is the report (the run fields aside).
            JsonNode embedded = JSON.readTree(browser.evaluate("document.getElementById('streamwreck-report').textContent").asText());
            assertThat(withoutRunFields(embedded)).isEqualTo(withoutRunFields(whole));

            long drift = whole.get("Drift").asLong();
            assertThat(keyRows(browser)).isEqualTo(drift);

            // The filter narrows the list: one shard's keys, then one key.
            String shard = whole.get("Shards").get(1).get("ShardId").asText();
            long ofShard = whole.get("Shards").get(1).get("Duplicated").asLong() + whole.get("Shards").get(1).get("Skipped").asLong()
                    + whole.get("Shards").get(1).get("Undelivered").asLong();
            type(browser, shard);
            await().atMost(Duration.ofSeconds(10)).until(() -> keyRows(browser) == ofShard);
            assertThat(browser.evaluate("[...document.querySelectorAll('#key-table tbody td:nth-child(2)')]"
                    + ".every(td => td.textContent.startsWith('" + shard + ":'))").asBoolean()).isTrue();
            String oneKey = whole.get("Undelivered").get(0).asText();
            type(browser, oneKey.substring(oneKey.indexOf(':') + 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> keyRows(browser) == 1);
            assertThat(browser.evaluate("document.querySelector('#key-table tbody td:nth-child(2)').textContent").asText())
                    .isEqualTo(oneKey);
            type(browser, "");

            // A bucket's link shows exactly that bucket's keys.
            JsonNode buckets = whole.get("Timeline").get("Buckets");
            int bucket = -1;
            for (int i = buckets.size() - 1; i >= 0 && bucket < 0; i--) {
                if (buckets.get(i).get("Undelivered").asLong() > 0) {
                    bucket = i;
                }
            }
            assertThat(bucket).isGreaterThanOrEqualTo(0);
            Set<String> expected = new HashSet<>();
            for (String list : List.of("Duplicated", "Skipped", "Undelivered")) {
                JsonNode keys = whole.get(list);
                JsonNode indexes = whole.get("Timeline").get("DriftedBuckets").get(list);
                for (int i = 0; i < keys.size(); i++) {
                    if (indexes.get(i).asInt() == bucket) {
                        expected.add(keys.get(i).isTextual() ? keys.get(i).asText() : keys.get(i).get("Key").asText());
                    }
                }
            }
            browser.evaluate("document.querySelector('#bucket-table a.to-keys[href=\"#keys?bucket=" + bucket + "\"]').click()");
            await().atMost(Duration.ofSeconds(10)).until(() -> keyRows(browser) == expected.size());
            Set<String> shown = new HashSet<>();
            browser.evaluate("[...document.querySelectorAll('#key-table tbody td:nth-child(2)')].map(td => td.textContent)")
                    .forEach(k -> shown.add(k.asText()));
            assertThat(shown).isEqualTo(expected);
            assertThat(browser.evaluate("document.getElementById('scope').textContent").asText())
                    .isEqualTo("in bucket " + buckets.get(bucket).get("Start").asText());
            // …and a heatmap cell links to its shard's keys in that bucket.
            String cellShard = buckets.get(bucket).get("Shards").get(0).get("ShardId").asText();
            browser.evaluate("document.querySelector('#heatmap a.cell[data-bucket=\"" + bucket + "\"][data-shard=\"" + cellShard
                    + "\"]').dispatchEvent(new MouseEvent('click', {bubbles: true}))");
            await().atMost(Duration.ofSeconds(10)).until(() -> keyRows(browser)
                    == expected.stream().filter(k -> k.startsWith(cellShard + ":")).count());
            browser.screenshot(OUT.resolve("report-bucket.png"));
        }
    }

    /** Rows in the key list that match (the list draws a page at a time; the count is of all that match). */
    private static long keyRows(HeadlessChromium browser) {
        return browser.evaluate("Number(document.getElementById('key-count').getAttribute('data-matches'))").asLong();
    }

    private static void type(HeadlessChromium browser, String text) throws IOException {
        browser.evaluate("(() => { const f = document.getElementById('filter'); f.focus(); f.value = "
                + JSON.writeValueAsString(text) + "; f.dispatchEvent(new Event('input', {bubbles: true})); })()");
    }
}
