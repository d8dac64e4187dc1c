package io.streamwreck.streamchecker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.KeyStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimelineTest {

    private static final String S0 = "shardId-000000000000";
    private static final String S1 = "shardId-000000000001";
    /** A minute boundary (epoch seconds). */
    private static final long T0 = 1_796_000_000L - 1_796_000_000L % 3600;

    private static KeyStatus status(Classification c) {
        return new KeyStatus(RecordKey.of(S0, "1"), c, c == Classification.DUPLICATED ? 2 : c == Classification.PROCESSED ? 1 : 0);
    }

    @Test
    void anAutomaticWidthIsTheNarrowestStepThatFitsTheSpan() {
        TimelineTally tally = new TimelineTally(BucketSize.AUTO);
        // Records over three minutes: 180 one-second buckets, 36 of five seconds.
        for (long s = 0; s < 180; s++) {
            tally.read(S0, T0 + s, 2, 0);
        }
        tally.judged(S0, new long[] {T0, T0 + 179}, List.of(status(Classification.SKIPPED), status(Classification.DUPLICATED)));

        Timeline t = tally.timeline();

        assertThat(t.bucket()).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.automatic()).isTrue();
        assertThat(t.cells()).hasSize(36);
        assertThat(t.total(T0)).isEqualTo(new Counts(10, 0, 0, 1, 0, 0));
        assertThat(t.total(T0 + 175)).isEqualTo(new Counts(10, 0, 1, 0, 0, 0));
    }

    @Test
    void aFixedWidthStaysAsGiven() {
        TimelineTally tally = new TimelineTally(new BucketSize(Duration.ofMinutes(10)));
        tally.read(S0, T0 + 5, 1, 0);
        tally.read(S1, T0 + 601, 3, 1);

        Timeline t = tally.timeline();

        assertThat(t.bucket()).isEqualTo(Duration.ofMinutes(10));
        assertThat(t.automatic()).isFalse();
        assertThat(t.cells()).containsOnlyKeys(T0, T0 + 600);
        assertThat(t.cells().get(T0 + 600)).isEqualTo(Map.of(S1, new Counts(3, 0, 0, 0, 0, 1)));
    }

    @Test
    void countingWidensWhenTooManyBucketsHoldRecordsAndLosesNothing() {
        TimelineTally tally = new TimelineTally(BucketSize.AUTO);
        int seconds = TimelineTally.MAX_BUCKETS * 3;
        for (long s = 0; s < seconds; s++) {
            tally.read(S0, T0 + s, 1, 0);
        }
        Timeline t = tally.timeline();
        assertThat(t.cells().size()).isLessThanOrEqualTo(BucketSize.TARGET_COLUMNS);
        assertThat(t.bucket()).isEqualTo(Duration.ofMinutes(1));
        assertThat(t.starts().stream().mapToLong(s -> t.total(s).scanned()).sum()).isEqualTo(seconds);
    }

    @Test
    void partsWithDifferentAutomaticWidthsMergeIntoWhatTheWholeWouldHaveChosen() {
        TimelineTally whole = new TimelineTally(BucketSize.AUTO);
        TimelineTally left = new TimelineTally(BucketSize.AUTO);
        TimelineTally right = new TimelineTally(BucketSize.AUTO);
        // Shard 0 for 50 s (one-second buckets fit), shard 1 for 250 s (five-second buckets): the whole, 10 s.
        for (long s = 0; s < 50; s++) {
            whole.read(S0, T0 + s, 1, 0);
            left.read(S0, T0 + s, 1, 0);
        }
        for (long s = 300; s < 550; s++) {
            whole.read(S1, T0 + s, 1, 0);
            right.read(S1, T0 + s, 1, 0);
        }
        assertThat(left.timeline().bucket()).isEqualTo(Duration.ofSeconds(1));
        assertThat(right.timeline().bucket()).isEqualTo(Duration.ofSeconds(5));

        Timeline merged = Timeline.merge(List.of(left.timeline(), right.timeline()));

        assertThat(merged).isEqualTo(whole.timeline());
        assertThat(merged.bucket()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void bucketsThatDoNotFitIntoEachOtherAreRefused() {
        Timeline seven = new Timeline(Duration.ofSeconds(7), false, new java.util.TreeMap<>());
        Timeline ten = new Timeline(Duration.ofSeconds(10), false, new java.util.TreeMap<>());
        assertThatThrownBy(() -> Timeline.merge(List.of(seven, ten)))
                .hasMessage("buckets of 7s do not fit into buckets of 10s");
    }
}
