package io.streamwreck.local.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/**
 * The median of a benchmark's samples with their min and max — how {@code make bench} (bench/) reports every figure
 * it measures more than once. Not used by the product: it lives in {@code local} because every module's benchmark
 * already has {@code local} on its test classpath.
 */
public record Spread(double median, double min, double max, int n) {

    public Spread {
        if (n < 1) {
            throw new IllegalArgumentException("no samples");
        }
    }

    public static Spread of(double... samples) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        if (n == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(median, sorted[0], sorted[n - 1], n);
    }

    public static Spread of(Collection<? extends Number> samples) {
        return of(samples.stream().mapToDouble(Number::doubleValue).toArray());
    }

    /**
     * {@code key=median key_min=min key_max=max} for a RESULT line, each value formatted with {@code format} (e.g.
     * {@code "%.2f"}).
     */
    public String fields(String key, String format) {
        return String.format(Locale.ROOT, "%s=" + format + " %s_min=" + format + " %s_max=" + format, key, median, key, min, key, max);
    }

    /** {@code median (min–max)} for prose and tables. */
    public String text(String format) {
        return String.format(Locale.ROOT, format + " (" + format + "–" + format + ")", median, min, max);
    }
}
