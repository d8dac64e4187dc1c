package io.streamwreck.streamchecker;

/**
 * How the records of one shard (or of all) were judged. {@code scanned} is every user record read — a
 * KPL-aggregated Kinesis record counts once per user record inside — and is the sum of the other six.
 * {@code pending}: after the consumer's checkpoint, not delivered yet — lag, not drift.
 */
record Counts(long scanned, long processed, long duplicated, long skipped, long undelivered, long inFlight, long pending) {

    static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0);

    /** Without pending records (a consumer without visible checkpoints, or one that is caught up). */
    Counts(long scanned, long processed, long duplicated, long skipped, long undelivered, long inFlight) {
        this(scanned, processed, duplicated, skipped, undelivered, inFlight, 0);
    }

    /** Records that drifted: processed more than once, or not at all. In-flight and pending records are not drift. */
    long drift() {
        return duplicated + skipped + undelivered;
    }

    Counts plus(Counts o) {
        return new Counts(scanned + o.scanned, processed + o.processed, duplicated + o.duplicated, skipped + o.skipped,
                undelivered + o.undelivered, inFlight + o.inFlight, pending + o.pending);
    }
}
