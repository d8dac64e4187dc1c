package io.streamwreck.streamchecker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The result of one scan: per shard and in total, how the records were judged, and every drifted key in key
 * order.
 *
 * @param application the consumer application, or null when the checker's default was used and no request told its name
 * @param scanStart   the records judged are those that arrived before this moment
 * @param seconds     how long the scan took
 * @param timeline    the counts per bucket of arrival time and shard
 * @param part        which shards were scanned ({@code --shards i/N}), or null for all of them
 * @param evidence    what told pending records from undelivered ones: the lease table, or why there was none (the
 *                    settle window alone then); null when the report says nothing about it
 */
record ScanReport(String stream, String application, StartPosition from, Duration settle, Instant scanStart,
                  double seconds, List<ShardSummary> shards, List<DriftedKey> drifted, Timeline timeline, String part,
                  String evidence) {

    /** A report of every shard without a timeline, saying nothing of checkpoints. */
    ScanReport(String stream, String application, StartPosition from, Duration settle, Instant scanStart,
               double seconds, List<ShardSummary> shards, List<DriftedKey> drifted) {
        this(stream, application, from, settle, scanStart, seconds, shards, drifted, Timeline.NONE, null, null);
    }

    /** A report of every shard without a timeline. */
    ScanReport(String stream, String application, StartPosition from, Duration settle, Instant scanStart,
               double seconds, List<ShardSummary> shards, List<DriftedKey> drifted, String evidence) {
        this(stream, application, from, settle, scanStart, seconds, shards, drifted, Timeline.NONE, null, evidence);
    }

    /** A report saying nothing of checkpoints. */
    ScanReport(String stream, String application, StartPosition from, Duration settle, Instant scanStart,
               double seconds, List<ShardSummary> shards, List<DriftedKey> drifted, Timeline timeline, String part) {
        this(stream, application, from, settle, scanStart, seconds, shards, drifted, timeline, part, null);
    }

    Counts total() {
        Counts total = Counts.NONE;
        for (ShardSummary s : shards) {
            total = total.plus(s.counts());
        }
        return total;
    }

    boolean drift() {
        return total().drift() > 0;
    }
}
