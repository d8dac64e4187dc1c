package io.streamwreck.streamchecker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.Classification;
import io.streamwreck.local.bench.PairedRounds;
import io.streamwreck.local.bench.Spread;

import java.io.PrintWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

/**
 * bench/drift-page.sh: the drift page with many drifted keys (100,000 by default) against the same page with few
 * (1,000), both in headless Chromium, in paired interleaved rounds: file size, and time from the start of the load
 * until the first drawn frame is painted ({@code data-painted-ms}: HTML parsed, the embedded JSON parsed, the key list
 * built and its first page drawn), and how long the filter takes to narrow the list to one shard. Prints a Markdown
 * section and a RESULT line on stdout.
 *
 * <p>The reports are made here, not scanned: the page's cost depends on the number of keys, shards and buckets, not
 * on where they came from. 16 shards, 60 buckets of one minute, real-length (56-digit) sequence numbers, 80% of the
 * drift skipped, 15% undelivered, 5% duplicated.
 */
public final class DriftPageBenchmark {

    private static final int SHARDS = 16;
    private static final int BUCKETS = 60;

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int baselineKeys = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path dir = Path.of("target", "bench-drift-page").toAbsolutePath();
        Files.createDirectories(dir);
        Path big = page(dir, keys);
        Path small = page(dir, baselineKeys);
        long bigBytes = Files.size(big);
        long smallBytes = Files.size(small);
        System.err.printf(Locale.ROOT, "bench: %s (%,d bytes), %s (%,d bytes)%n", big, bigBytes, small, smallBytes);

        List<double[]> filter = new ArrayList<>();
        PairedRounds result;
        try (HeadlessChromium browser = HeadlessChromium.start(dir)) {
            // Rates for PairedRounds (higher is better): pages painted per second; shown below as milliseconds.
            result = PairedRounds.measure("drift-page", 1, rounds,
                    () -> 1000.0 / paint(browser, small, baselineKeys, null),
                    () -> 1000.0 / paint(browser, big, keys, filter));
            browser.screenshot(dir.resolve("drift-page-" + keys + ".png"));
        }

        StringBuilder t = new StringBuilder();
        t.append("| round | first | load (1 min) | ").append(String.format(Locale.ROOT, "%,d keys: painted ms", baselineKeys))
                .append(" | ").append(String.format(Locale.ROOT, "%,d keys: painted ms", keys)).append(" | ratio (time) |\n");
        t.append("|---:|---|---:|---:|---:|---:|\n");
        List<Double> baseMs = new ArrayList<>();
        List<Double> subjectMs = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (PairedRounds.Round r : result.rounds()) {
            double b = 1000.0 / r.baseline();
            double s = 1000.0 / r.subject();
            baseMs.add(b);
            subjectMs.add(s);
            ratios.add(s / b);
            t.append(String.format(Locale.ROOT, "| %d | %s | %.2f | %.0f | %.0f | %.1f |%n", r.number(),
                    r.baselineFirst() ? "baseline" : "subject", r.load(), b, s, s / b));
        }
        Spread base = Spread.of(baseMs);
        Spread subject = Spread.of(subjectMs);
        Spread ratio = Spread.of(ratios);
        // The filter was timed in every load of the big page (warm-up included); its medians:
        Spread filterMs = Spread.of(filter.stream().map(f -> f[0]).toList());
        t.append(String.format(Locale.ROOT, "| median (min–max) | | | %s | %s | **%.1f** (%.1f–%.1f) |%n",
                base.text("%.0f"), subject.text("%.0f"), ratio.median(), ratio.min(), ratio.max()));

        System.out.printf(Locale.ROOT, "Pages: %,d drifted keys → %,d bytes (%.2f MB); %,d drifted keys → %,d bytes (%.2f MB) "
                        + "(%s shards, %s one-minute buckets; aim ≤ 10 MB).%n%n", keys, bigBytes, bigBytes / 1e6,
                baselineKeys, smallBytes, smallBytes / 1e6, SHARDS, BUCKETS);
        System.out.print(t);
        System.out.printf(Locale.ROOT, "%nFilter on the %,d-key page (type a shard id until the count changes, the page's "
                + "150 ms debounce for lists over 20,000 included): median %.0f ms (%.0f–%.0f), %d loads.%n%n", keys,
                filterMs.median(), filterMs.min(), filterMs.max(), filter.size());
        System.out.printf(Locale.ROOT, "RESULT drift-page keys=%d bytes=%d painted_ms=%.0f painted_ms_min=%.0f "
                        + "painted_ms_max=%.0f baseline_keys=%d baseline_painted_ms=%.0f filter_ms=%.0f %s%n", keys, bigBytes,
                subject.median(), subject.min(), subject.max(), baselineKeys, base.median(), filterMs.median(),
                ratio.fields("time_ratio", "%.2f"));
    }

    /** Loads the page afresh; ms from the start of the load until its first drawn frame was painted. */
    private static double paint(HeadlessChromium browser, Path page, int keys, List<double[]> filter) {
        browser.open(page, null);
        long painted = browser.evaluate("Number(document.documentElement.getAttribute('data-painted-ms'))").asLong();
        long matches = browser.evaluate("Number(document.getElementById('key-count').getAttribute('data-matches'))").asLong();
        if (matches != keys) {
            throw new IllegalStateException(page + " lists " + matches + " keys, not " + keys);
        }
        if (filter != null) {
            double ms = browser.evaluate("new Promise(done => { const f = document.getElementById('filter');"
                    + " const c = document.getElementById('key-count'); const t = performance.now();"
                    + " f.value = 'shardId-000000000003:'; f.dispatchEvent(new Event('input'));"
                    + " (function poll() { if (c.getAttribute('data-matches') !== '" + keys + "') done(performance.now() - t);"
                    + " else setTimeout(poll, 2); })(); })").asDouble();
            filter.add(new double[] {ms});
        }
        return painted;
    }

    private static Path page(Path dir, int keys) throws Exception {
        ScanReport report = report(keys);
        Path file = dir.resolve("drift-page-" + keys + ".html");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            HtmlReport.write(report, new PrintWriter(w));
        }
        return file;
    }

    static ScanReport report(int keys) {
        Random random = new Random(keys);
        Instant scanStart = Instant.parse("2026-12-04T02:00:00Z");
        long firstBucket = scanStart.getEpochSecond() - BUCKETS * 60L;
        long scannedPerCell = Math.max(1, keys * 10L / (SHARDS * BUCKETS));
        NavigableMap<Long, Map<String, long[]>> cells = new TreeMap<>();
        List<DriftedKey> drifted = new ArrayList<>();
        BigInteger base = new BigInteger("49659385124873914283720981530374616512438651293816832002");
        for (int i = 0; i < keys; i++) {
            String shard = String.format(Locale.ROOT, "shardId-%012d", i % SHARDS);
            long bucket = firstBucket + (long) (i / SHARDS) * BUCKETS / Math.max(1, keys / SHARDS) * 60;
            String seq = base.add(BigInteger.valueOf(i).multiply(BigInteger.valueOf(1_000_003))).toString();
            int r = random.nextInt(100);
            Classification c = r < 80 ? Classification.SKIPPED : r < 95 ? Classification.UNDELIVERED : Classification.DUPLICATED;
            drifted.add(new DriftedKey(RecordKey.of(shard, seq), c, c == Classification.DUPLICATED ? 2 : 0,
                    Instant.ofEpochSecond(bucket + random.nextInt(60))));
            long[] cell = cells.computeIfAbsent(bucket, k -> new TreeMap<>()).computeIfAbsent(shard, k -> new long[3]);
            cell[c == Classification.DUPLICATED ? 0 : c == Classification.SKIPPED ? 1 : 2]++;
        }
        Collections.sort(drifted);
        NavigableMap<Long, Map<String, Counts>> timeline = new TreeMap<>();
        Map<String, Counts> perShard = new TreeMap<>();
        for (long b = firstBucket; b < firstBucket + BUCKETS * 60L; b += 60) {
            Map<String, Counts> shards = new TreeMap<>();
            for (int s = 0; s < SHARDS; s++) {
                String shard = String.format(Locale.ROOT, "shardId-%012d", s);
                long[] d = cells.getOrDefault(b, Map.of()).getOrDefault(shard, new long[3]);
                long scanned = scannedPerCell + d[0] + d[1] + d[2];
                Counts c = new Counts(scanned, scanned - d[1] - d[2] - d[0], d[0], d[1], d[2], 0);
                shards.put(shard, c);
                perShard.merge(shard, c, Counts::plus);
            }
            timeline.put(b, shards);
        }
        List<ShardSummary> summaries = perShard.entrySet().stream()
                .map(e -> new ShardSummary(e.getKey(), false, e.getValue())).toList();
        return new ScanReport("orders", "billing", StartPosition.TRIM_HORIZON, Duration.ofMinutes(1), scanStart, 42.0,
                summaries, drifted, new Timeline(Duration.ofMinutes(1), true, timeline), null);
    }
}
