package io.streamwreck.streamchecker;

import io.streamwreck.ledger.KeyStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The running timeline of one scan: the shard readers add what they read and what is in flight, the checking
 * threads what the checker said, each by the record's arrival second. Thread-safe (one lock: it is taken once per
 * run of records of one second, or once per checked batch).
 *
 * <p>With {@code --bucket auto} it counts in the narrowest step (one second) and, should more than
 * {@link #MAX_BUCKETS} buckets hold records, widens to the next step, so memory stays bounded whatever the span; at
 * the end {@link Timeline#fitted()} picks the width shown. A fixed width is counted as it is.
 */
final class TimelineTally {

    /** Buckets kept while counting with an automatic width, before widening (per shard at most as many cells). */
    static final int MAX_BUCKETS = 1024;

    private final boolean automatic;
    private Timeline timeline;

    TimelineTally(BucketSize size) {
        this.automatic = size.automatic();
        Duration start = automatic ? BucketSize.STEPS.get(0) : size.fixed();
        this.timeline = new Timeline(start, automatic, new TreeMap<>());
    }

    /** {@code scanned} user records of {@code shardId} arrived in second {@code epochSecond}, {@code inFlight} of them too recent to judge. */
    synchronized void read(String shardId, long epochSecond, long scanned, long inFlight) {
        add(shardId, epochSecond, new Counts(scanned, 0, 0, 0, 0, inFlight));
    }

    /** What the checker said about keys of one shard; {@code epochSeconds[i]} is when the i-th arrived. */
    void judged(String shardId, long[] epochSeconds, List<KeyStatus> statuses) {
        // Group by second outside the lock; a batch is a run of one shard in stream order, so there are few groups.
        Map<Long, List<KeyStatus>> bySecond = new LinkedHashMap<>();
        for (int i = 0; i < statuses.size(); i++) {
            bySecond.computeIfAbsent(epochSeconds[i], k -> new ArrayList<>()).add(statuses.get(i));
        }
        synchronized (this) {
            bySecond.forEach((second, group) -> {
                // ShardTally knows how each classification is counted; reuse it rather than repeat it.
                ShardTally counted = new ShardTally(shardId, false);
                counted.judged(group);
                add(shardId, second, counted.counts());
            });
        }
    }

    private void add(String shardId, long epochSecond, Counts counts) {
        NavigableMap<Long, Map<String, Counts>> cells = timeline.cells();
        cells.computeIfAbsent(timeline.startOf(epochSecond), k -> new TreeMap<>()).merge(shardId, counts, Counts::plus);
        if (automatic && cells.size() > MAX_BUCKETS) {
            widen();
        }
    }

    private void widen() {
        int next = BucketSize.STEPS.indexOf(timeline.bucket()) + 1;
        if (next >= BucketSize.STEPS.size()) {
            return;
        }
        Timeline wider = timeline.widenedTo(BucketSize.STEPS.get(next), true);
        timeline = new Timeline(wider.bucket(), true, new TreeMap<>(wider.cells()));
    }

    /** The timeline as the report shows it. */
    synchronized Timeline timeline() {
        NavigableMap<Long, Map<String, Counts>> copy = new TreeMap<>();
        timeline.cells().forEach((start, shards) -> copy.put(start, Collections.unmodifiableMap(new TreeMap<>(shards))));
        return new Timeline(timeline.bucket(), automatic, Collections.unmodifiableNavigableMap(copy)).fitted();
    }
}
