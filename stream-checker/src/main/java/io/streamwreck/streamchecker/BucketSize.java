package io.streamwreck.streamchecker;

import io.streamwreck.core.cli.OptionValueException;
import io.streamwreck.core.config.Durations;
import picocli.CommandLine.ITypeConverter;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How wide a bucket of arrival time is in the report's timeline ({@code --bucket}): {@code auto} — the narrowest
 * step of {@link #STEPS} that fits the records' span into {@link #TARGET_COLUMNS} buckets — or a fixed width of
 * whole seconds ({@code 1m}, {@code 10m}, {@code 1h}). Buckets are aligned to the epoch (UTC), so the same record
 * lands in the same bucket in every report, and a bucket of one width is a whole number of buckets of any narrower
 * step: that is what lets {@code merge} join reports whose automatic widths differ.
 *
 * @param fixed the width, or null for automatic
 */
record BucketSize(Duration fixed) {

    static final BucketSize AUTO = new BucketSize(null);

    /** The automatic widths, each a whole multiple of the one before. */
    static final List<Duration> STEPS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12),
            Duration.ofDays(1));

    /** At most this many buckets from the first record to the last when the width is automatic: one screen wide. */
    static final int TARGET_COLUMNS = 60;

    boolean automatic() {
        return fixed == null;
    }

    @Override
    public String toString() {
        return fixed == null ? "auto" : Settle.describe(fixed);
    }

    /** {@code --bucket auto|1m|10m|1h|…}; a bad value is a usage error naming the option. */
    static final class Converter implements ITypeConverter<BucketSize> {
        @Override
        public BucketSize convert(String value) {
            if (value.trim().toLowerCase(Locale.ROOT).equals("auto")) {
                return AUTO;
            }
            Duration d;
            try {
                d = Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw OptionValueException.after(e.getMessage() + "; or auto");
            }
            if (d.isNegative() || d.isZero() || d.toMillis() % 1000 != 0) {
                throw OptionValueException.after("\"" + value + "\" is not a whole number of seconds (1s or more), e.g. 1m, 10m, 1h or auto");
            }
            if (d.compareTo(Duration.ofDays(1)) > 0 && d.toSeconds() % 86_400 != 0) {
                throw OptionValueException.after("\"" + value + "\" is longer than a day but not whole days");
            }
            return new BucketSize(d);
        }
    }
}
