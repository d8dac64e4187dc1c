package io.streamwreck.streamchecker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The report's counts per bucket of arrival time and per shard (DESIGN.md "Time"): when the drift happened, which
 * is how it is explained — a deploy, a failover, a reshard. Only buckets that hold records are kept; within one,
 * only the shards that had records in it.
 *
 * @param bucket    the width of a bucket (whole seconds); buckets start at multiples of it since the epoch (UTC)
 * @param automatic whether the width was chosen to fit the span ({@code --bucket auto}), so a merge may widen it
 * @param cells     bucket start (epoch seconds) → shard id → counts; sorted by time
 */
record Timeline(Duration bucket, boolean automatic, NavigableMap<Long, Map<String, Counts>> cells) {

    static final Timeline NONE = new Timeline(BucketSize.STEPS.get(0), true, Collections.emptyNavigableMap());

    Timeline {
        if (bucket.isNegative() || bucket.isZero() || bucket.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("a bucket is a whole number of seconds, was " + bucket);
        }
    }

    long width() {
        return bucket.toSeconds();
    }

    /** The start (epoch seconds) of the bucket that holds {@code epochSecond}. */
    long startOf(long epochSecond) {
        return Math.floorDiv(epochSecond, width()) * width();
    }

    static long epochSecond(Instant arrival) {
        return Math.floorDiv(arrival.toEpochMilli(), 1000);
    }

    /** The bucket starts, in time order. */
    List<Long> starts() {
        return new ArrayList<>(cells.keySet());
    }

    /** Every shard's counts in the bucket that starts at {@code start}, summed. */
    Counts total(long start) {
        Counts total = Counts.NONE;
        for (Counts c : cells.getOrDefault(start, Map.of()).values()) {
            total = total.plus(c);
        }
        return total;
    }

    /**
     * This timeline in buckets of {@code wider}, a whole multiple of the present width.
     *
     * @throws IllegalArgumentException when it is not a multiple
     */
    Timeline widenedTo(Duration wider, boolean stillAutomatic) {
        long w = wider.toSeconds();
        if (w % width() != 0) {
            throw new IllegalArgumentException("buckets of " + Settle.describe(bucket) + " do not fit into buckets of "
                    + Settle.describe(wider));
        }
        NavigableMap<Long, Map<String, Counts>> out = new TreeMap<>();
        for (Map.Entry<Long, Map<String, Counts>> e : cells.entrySet()) {
            Map<String, Counts> into = out.computeIfAbsent(Math.floorDiv(e.getKey(), w) * w, k -> new TreeMap<>());
            e.getValue().forEach((shard, c) -> into.merge(shard, c, Counts::plus));
        }
        return new Timeline(wider, stillAutomatic, Collections.unmodifiableNavigableMap(out));
    }

    /**
     * With an automatic width, the narrowest step, at least the present width, whose buckets from the first record
     * to the last number at most {@link BucketSize#TARGET_COLUMNS}; a fixed width as it is.
     */
    Timeline fitted() {
        if (!automatic || cells.isEmpty()) {
            return this;
        }
        long first = cells.firstKey();
        long last = cells.lastKey();
        Duration chosen = null;
        for (Duration step : BucketSize.STEPS) {
            long w = step.toSeconds();
            if (w < width() || w % width() != 0) {
                continue;
            }
            chosen = step;
            if (Math.floorDiv(last, w) - Math.floorDiv(first, w) + 1 <= BucketSize.TARGET_COLUMNS) {
                break;
            }
        }
        return chosen == null || chosen.equals(bucket) ? this : widenedTo(chosen, true);
    }

    /**
     * The timelines of several partial reports as one: every one widened to the widest width (which must be a
     * whole multiple of the others), then, when all were automatic, fitted again to the joined span — the same
     * width a scan of all their shards at once would have chosen.
     */
    static Timeline merge(List<Timeline> parts) {
        Duration widest = parts.stream().map(Timeline::bucket).max(Duration::compareTo).orElse(NONE.bucket());
        boolean automatic = parts.stream().allMatch(Timeline::automatic);
        NavigableMap<Long, Map<String, Counts>> out = new TreeMap<>();
        for (Timeline part : parts) {
            Timeline wide = part.widenedTo(widest, automatic);
            wide.cells().forEach((start, shards) -> {
                Map<String, Counts> into = out.computeIfAbsent(start, k -> new TreeMap<>());
                shards.forEach((shard, c) -> into.merge(shard, c, Counts::plus));
            });
        }
        return new Timeline(widest, automatic, Collections.unmodifiableNavigableMap(out)).fitted();
    }
}
