package io.streamwreck.streamchecker;

import io.streamwreck.ledger.Classification;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --format text} (the default): a table per shard and in total, then the first drifted keys.
 * <pre>
 * stream orders, application billing: 3 shards from trim-horizon up to 2026-11-22T04:00:00Z, settle PT1M
 *
 * shard                 state    scanned  processed  duplicated  skipped  undelivered  in-flight
 * shardId-000000000000  closed        10          7           1        1            1          0
 * …
 * total                 3 shards      30         27           1        1            1          0
 *
 * drift: 3 records (1 duplicated, 1 skipped, 1 undelivered)
 * drift by arrival time (buckets of 1m, UTC):
 *   2026-11-22T03:58:00Z  2 of 20 scanned: 1 duplicated, 1 skipped; shardId-000000000000
 *   2026-11-22T03:59:00Z  1 of 10 scanned: 1 undelivered; shardId-000000000000
 *   duplicated   shardId-000000000000:49680…930  processed 2 times
 *   …
 * </pre>
 */
final class TextReport {

    private static final String ROW = "%-22s %-8s %11s %11s %11s %9s %12s %10s %9s%n";
    /** Lines of the timeline at most; the JSON and HTML reports have every bucket. */
    static final int MAX_BUCKET_LINES = 60;
    /** Shards named on a bucket's line at most. */
    private static final int SHARDS_NAMED = 3;

    private TextReport() {
    }

    /** @param show how many drifted keys to list at most */
    static void write(ScanReport report, int show, PrintWriter out) {
        Counts total = report.total();
        out.printf(Locale.ROOT, "stream %s, application %s: %d shard%s from %s up to %s, settle %s%n%n", report.stream(),
                report.application() == null ? "(the checker's default)" : report.application(), report.shards().size(),
                report.shards().size() == 1 ? "" : "s", report.from(), report.scanStart(), Settle.describe(report.settle()));
        out.printf(Locale.ROOT, ROW, "shard", "state", "scanned", "processed", "duplicated", "skipped", "undelivered", "in-flight",
                "pending");
        for (ShardSummary s : report.shards()) {
            row(out, s.shardId(), s.closed() ? "closed" : "open", s.counts());
        }
        row(out, "total", report.shards().size() + (report.shards().size() == 1 ? " shard" : " shards"), total);
        out.printf(Locale.ROOT, "%nscanned %,d records in %.1f s (%,.0f records/s)%n", total.scanned(), report.seconds(),
                total.scanned() / Math.max(report.seconds(), 1e-3));
        pending(report, out);
        if (total.drift() == 0) {
            out.printf(Locale.ROOT, "no drift: every record judged was processed exactly once%s%n",
                    total.inFlight() == 0 ? "" : String.format(Locale.ROOT, " (%,d in flight, not judged yet)", total.inFlight()));
            out.flush();
            return;
        }
        out.printf(Locale.ROOT, "%ndrift: %,d records (%,d duplicated, %,d skipped, %,d undelivered)%n", total.drift(),
                total.duplicated(), total.skipped(), total.undelivered());
        buckets(report.timeline(), out);
        List<DriftedKey> drifted = report.drifted();
        int shown = Math.min(show, drifted.size());
        for (DriftedKey d : drifted.subList(0, shown)) {
            out.printf(Locale.ROOT, "  %-12s %s%s%n", d.classification().name().toLowerCase(Locale.ROOT), d.key(),
                    d.classification() == Classification.DUPLICATED ? "  processed " + d.count() + " times" : "");
        }
        if (shown < drifted.size()) {
            out.printf(Locale.ROOT, "  … and %,d more (--show N lists more; --format json lists all)%n", drifted.size() - shown);
        }
        out.flush();
    }

    /** One line per bucket of arrival time that holds drift: when, how much of what, and in which shards. */
    private static void buckets(Timeline timeline, PrintWriter out) {
        List<Long> drifted = timeline.starts().stream().filter(start -> timeline.total(start).drift() > 0).toList();
        if (drifted.isEmpty()) {
            return;
        }
        out.printf(Locale.ROOT, "drift by arrival time (buckets of %s, UTC):%n", Settle.describe(timeline.bucket()));
        for (Long start : drifted.subList(0, Math.min(drifted.size(), MAX_BUCKET_LINES))) {
            Counts c = timeline.total(start);
            List<String> kinds = new ArrayList<>();
            if (c.duplicated() > 0) {
                kinds.add(n(c.duplicated()) + " duplicated");
            }
            if (c.skipped() > 0) {
                kinds.add(n(c.skipped()) + " skipped");
            }
            if (c.undelivered() > 0) {
                kinds.add(n(c.undelivered()) + " undelivered");
            }
            List<String> shards = timeline.cells().get(start).entrySet().stream().filter(e -> e.getValue().drift() > 0)
                    .map(Map.Entry::getKey).toList();
            String named = String.join(", ", shards.subList(0, Math.min(SHARDS_NAMED, shards.size())))
                    + (shards.size() > SHARDS_NAMED ? " and " + (shards.size() - SHARDS_NAMED) + " more shard" + (shards.size() - SHARDS_NAMED == 1 ? "" : "s") : "");
            out.printf(Locale.ROOT, "  %-20s  %s of %s scanned: %s; %s%n", Instant.ofEpochSecond(start), n(c.drift()),
                    n(c.scanned()), String.join(", ", kinds), named);
        }
        if (drifted.size() > MAX_BUCKET_LINES) {
            out.printf(Locale.ROOT, "  … and %,d more buckets with drift (--format json or html has them all)%n",
                    drifted.size() - MAX_BUCKET_LINES);
        }
    }

    private static void row(PrintWriter out, String name, String state, Counts c) {
        out.printf(Locale.ROOT, ROW, name, state, n(c.scanned()), n(c.processed()), n(c.duplicated()), n(c.skipped()),
                n(c.undelivered()), n(c.inFlight()), n(c.pending()));
    }

    /**
     * Which evidence told lag from loss, and per lagging shard its checkpoint and how far behind the consumer is:
     * {@code pending  shardId-…  12 records after checkpoint 4959…, the oldest arrived 3m 5s before the scan}.
     */
    private static void pending(ScanReport report, PrintWriter out) {
        if (report.evidence() == null) {
            return;
        }
        out.printf(Locale.ROOT, "checkpoints: %s%n", report.evidence());
        long pending = report.total().pending();
        if (pending > 0) {
            out.printf(Locale.ROOT, "pending: %,d records the consumer has not reached yet (lag, not drift)%n", pending);
        }
        for (ShardSummary s : report.shards()) {
            ShardSummary.Lag lag = s.lag();
            if (lag == null || lag.records() == 0) {
                continue;
            }
            String age = lag.oldest() == null ? "" : ", the oldest arrived "
                    + Settle.describe(Duration.between(lag.oldest(), report.scanStart()).withNanos(0)) + " before the scan";
            out.printf(Locale.ROOT, "  pending      %s  %,d records after checkpoint %s%s%n", s.shardId(), lag.records(),
                    lag.progress().checkpoint(), age);
        }
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }
}
