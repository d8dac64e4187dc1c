package io.streamwreck.streamchecker;

import java.time.Duration;
import java.time.Instant;

/**
 * Which records a scan judges, by their ApproximateArrivalTimestamp.
 * <ul>
 *   <li>Arrived at or after {@link #scanStart}: after the tip as it was when the scan started — not part of this
 *       scan at all (a busy shard would otherwise never end).</li>
 *   <li>Arrived after {@code scanStart - settle}: in flight — the consumer may simply not have got to it yet, so
 *       it is counted but not judged.</li>
 *   <li>Anything older is sent to the checker.</li>
 * </ul>
 * The arrival time is Kinesis' clock and the scan start this machine's, so the boundaries move by the clock
 * difference; the settle window (a minute by default) is far wider than that.
 */
record ScanWindow(Instant scanStart, Duration settle) {

    private long startMillis() {
        return scanStart.toEpochMilli();
    }

    /** Whether a record that arrived at {@code arrival} belongs to the stream as it was when the scan started. */
    boolean beforeTip(Instant arrival) {
        return arrival == null || arrival.toEpochMilli() < startMillis();
    }

    /** Whether the record is too recent to judge. */
    boolean inFlight(Instant arrival) {
        return arrival != null && arrival.toEpochMilli() > startMillis() - settle.toMillis();
    }
}
