package io.streamwreck.streamchecker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Joins the reports of scans of parts of one stream ({@code --shards i/N} on several machines) into the report a
 * scan of all of them would have given: shards side by side, counts and timelines added, drifted keys in key order.
 * It refuses what would not add up: reports of different streams or applications, of different scan windows
 * (start position, settle window, or scans that started further apart than {@code maxApart}), the same shard in two
 * reports, or timelines whose bucket widths do not fit into each other.
 */
final class ReportMerge {

    private ReportMerge() {
    }

    /** A report and where it came from, for the messages. */
    record Named(String name, ScanReport report) {
    }

    /** Reports that cannot be merged; the message names the files and what differs. */
    static final class MismatchException extends RuntimeException {
        MismatchException(String message) {
            super(message);
        }
    }

    static ScanReport merge(List<Named> parts, Duration maxApart) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        Named first = parts.get(0);
        ScanReport a = first.report();
        Map<String, String> shardIn = new HashMap<>();
        List<ShardSummary> shards = new ArrayList<>();
        List<DriftedKey> drifted = new ArrayList<>();
        List<Timeline> timelines = new ArrayList<>();
        Instant earliest = a.scanStart();
        Instant latest = a.scanStart();
        double seconds = 0;
        for (Named part : parts) {
            ScanReport r = part.report();
            same(first, part, "stream", a.stream(), r.stream());
            same(first, part, "application", a.application(), r.application());
            same(first, part, "start position (--from)", a.from().toString(), r.from().toString());
            same(first, part, "settle window (--settle)", Settle.describe(a.settle()), Settle.describe(r.settle()));
            earliest = earliest.isBefore(r.scanStart()) ? earliest : r.scanStart();
            latest = latest.isAfter(r.scanStart()) ? latest : r.scanStart();
            if (Duration.between(earliest, latest).compareTo(maxApart) > 0) {
                throw new MismatchException("the scans started " + Settle.describe(Duration.between(earliest, latest).withNanos(0))
                        + " apart (" + first.name() + " at " + a.scanStart() + ", " + part.name() + " at " + r.scanStart()
                        + "), more than --max-apart " + Settle.describe(maxApart) + ": they judged different windows of the stream");
            }
            for (ShardSummary s : r.shards()) {
                String before = shardIn.putIfAbsent(s.shardId(), part.name());
                if (before != null) {
                    throw new MismatchException(s.shardId() + " is in both " + before + " and " + part.name()
                            + ": each shard may be in one report only (scan with --shards i/N)");
                }
                shards.add(s);
            }
            drifted.addAll(r.drifted());
            timelines.add(r.timeline());
            // The parts ran side by side: the whole took as long as the slowest.
            seconds = Math.max(seconds, r.seconds());
        }
        shards.sort(Comparator.comparing(ShardSummary::shardId));
        Collections.sort(drifted);
        Timeline timeline;
        try {
            timeline = Timeline.merge(timelines);
        } catch (IllegalArgumentException e) {
            throw new MismatchException("the timelines do not fit together: " + e.getMessage() + " (scan with the same --bucket)");
        }
        return new ScanReport(a.stream(), a.application(), a.from(), a.settle(), earliest, seconds,
                List.copyOf(shards), List.copyOf(drifted), timeline, part(parts), evidence(parts));
    }

    /** What told pending from undelivered in each part: once when they agree, else each part's in turn. */
    private static String evidence(List<Named> parts) {
        List<String> each = parts.stream().map(p -> p.report().evidence()).filter(Objects::nonNull).distinct().toList();
        return each.isEmpty() ? null : String.join("; ", each);
    }

    private static void same(Named first, Named other, String what, String a, String b) {
        if (!Objects.equals(a, b)) {
            throw new MismatchException(other.name() + " is a report of " + what + " " + quoted(b) + ", " + first.name()
                    + " of " + quoted(a) + ": only reports of one stream, application and scan window merge");
        }
    }

    private static String quoted(String s) {
        return s == null ? "(the checker's default)" : "\"" + s + "\"";
    }

    /** Null when the parts make up every part of one split (1/N … N/N), else the parts listed. */
    private static String part(List<Named> parts) {
        TreeSet<String> named = new TreeSet<>();
        TreeSet<Integer> indexes = new TreeSet<>();
        TreeSet<Integer> ofs = new TreeSet<>();
        for (Named n : parts) {
            String p = n.report().part();
            if (p == null) {
                return null;
            }
            for (String one : p.split(",")) {
                named.add(one);
                String[] iN = one.split("/");
                indexes.add(Integer.parseInt(iN[0]));
                ofs.add(Integer.parseInt(iN[1]));
            }
        }
        if (ofs.size() == 1 && indexes.size() == ofs.first() && indexes.first() == 1 && indexes.last() == ofs.first()) {
            return null;
        }
        return String.join(",", named);
    }
}
