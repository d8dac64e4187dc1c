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
 */
record ScanReport(String stream, String application, StartPosition from, Duration settle, Instant scanStart,
                  double seconds, List<ShardSummary> shards, List<DriftedKey> drifted) {

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
