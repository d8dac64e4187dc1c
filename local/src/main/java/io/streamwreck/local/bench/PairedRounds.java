package io.streamwreck.local.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Paired, interleaved rounds for the benchmarks of {@code make bench} (bench/): in each round the baseline and the
 * subject are measured back to back, the one that goes first alternating from round to round, and the round's ratio is
 * subject ÷ baseline. The figure reported is the median of the rounds' ratios with its min and max: a slow spell of
 * the shared machine (another build, a GC, the hypervisor) lands inside one round and moves that round's ratio, not
 * the median, while a best-of or a ratio of two medians can pair a quiet spell on one side with a busy one on the
 * other. Every round also notes the 1-minute load average when it began and the CPU time the hypervisor stole during
 * it (Linux only; NaN elsewhere), so that a report can show what the machine was doing.
 *
 * <p>Use {@link #measure} when each side is a closure, or {@link #add} when the benchmark interleaves the sides more
 * finely itself (e.g. notice by notice) and has one pair of rates per round. Not used by the product: it lives in
 * {@code local} because every module's benchmark already has {@code local} on its test classpath.
 */
public final class PairedRounds {

    /** One side's measurement: a rate, higher is better (records/s, keys/s). */
    @FunctionalInterface
    public interface Rate {
        double measure() throws Exception;
    }

    /** One round: both rates, which went first, the load average when it began, stolen CPU % during it. */
    public record Round(int number, boolean baselineFirst, double baseline, double subject, double load, double stealPercent) {
        public double ratio() {
            return subject / baseline;
        }
    }

    private final String label;
    private final List<Round> rounds = new ArrayList<>();

    public PairedRounds(String label) {
        this.label = label;
    }

    /**
     * {@code warmUps} rounds that are not kept, then {@code count} kept rounds; round {@code i} (warm-ups included)
     * runs the baseline first when {@code i} is even. Progress goes to standard error.
     */
    public static PairedRounds measure(String label, int warmUps, int count, Rate baseline, Rate subject) throws Exception {
        if (count < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, was " + count);
        }
        PairedRounds result = new PairedRounds(label);
        for (int i = 0; i < warmUps + count; i++) {
            boolean baselineFirst = i % 2 == 0;
            double load = loadAverage();
            long[] cpuBefore = cpuTimes();
            double b;
            double s;
            if (baselineFirst) {
                b = baseline.measure();
                s = subject.measure();
            } else {
                s = subject.measure();
                b = baseline.measure();
            }
            double steal = stealPercent(cpuBefore, cpuTimes());
            if (i < warmUps) {
                progress("%s warm-up %d/%d: baseline %,.0f, subject %,.0f (%.2f)", label, i + 1, warmUps, b, s, s / b);
            } else {
                result.add(b, s, baselineFirst, load, steal);
            }
        }
        return result;
    }

    /** Adds a round measured by the caller (see the class comment); prints it on standard error. */
    public void add(double baseline, double subject, boolean baselineFirst, double load, double stealPercent) {
        Round r = new Round(rounds.size() + 1, baselineFirst, baseline, subject, load, stealPercent);
        rounds.add(r);
        progress("%s round %d (%s first, load %.2f, steal %.1f%%): baseline %,.0f, subject %,.0f, ratio %.2f", label, r.number(),
                baselineFirst ? "baseline" : "subject", load, stealPercent, baseline, subject, r.ratio());
    }

    public List<Round> rounds() {
        return List.copyOf(rounds);
    }

    public Spread ratio() {
        return Spread.of(rounds.stream().mapToDouble(Round::ratio).toArray());
    }

    public Spread baseline() {
        return Spread.of(rounds.stream().mapToDouble(Round::baseline).toArray());
    }

    public Spread subject() {
        return Spread.of(rounds.stream().mapToDouble(Round::subject).toArray());
    }

    /** {@code ratio=… ratio_min=… ratio_max=… rounds=N}: the RESULT line's ratio fields. */
    public String resultFields() {
        return ratio().fields("ratio", "%.2f") + " rounds=" + rounds.size();
    }

    /** A Markdown table of the rounds: first side, load, steal, both rates, the ratio; then the medians. */
    public String table(String baselineName, String subjectName) {
        StringBuilder t = new StringBuilder();
        t.append("| round | first | load (1 min) | steal % | ").append(baselineName).append(" | ").append(subjectName).append(" | ratio |\n");
        t.append("|---:|---|---:|---:|---:|---:|---:|\n");
        for (Round r : rounds) {
            t.append(String.format(Locale.ROOT, "| %d | %s | %.2f | %.1f | %,.0f | %,.0f | %.2f |%n", r.number(),
                    r.baselineFirst() ? "baseline" : "subject", r.load(), r.stealPercent(), r.baseline(), r.subject(), r.ratio()));
        }
        t.append(String.format(Locale.ROOT, "| median (min–max) | | | | %s | %s | **%.2f** (%.2f–%.2f) |%n",
                baseline().text("%,.0f"), subject().text("%,.0f"), ratio().median(), ratio().min(), ratio().max()));
        return t.toString();
    }

    /** The 1-minute load average (/proc/loadavg), NaN where there is none. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The machine's total and stolen CPU time in jiffies (the cpu line of /proc/stat), or null where there is none. */
    public static long[] cpuTimes() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {    // user nice system idle iowait irq softirq steal
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, f.length > 8 ? Long.parseLong(f[8]) : 0};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Stolen CPU time between two {@link #cpuTimes} samples, as a percentage of all CPU time; NaN if unknown. */
    public static double stealPercent(long[] before, long[] after) {
        if (before == null || after == null || after[0] <= before[0]) {
            return Double.NaN;
        }
        return 100.0 * (after[1] - before[1]) / (after[0] - before[0]);
    }

    private static void progress(String format, Object... args) {
        System.err.println("bench: " + String.format(Locale.ROOT, format, args));
    }
}
