package io.streamwreck.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Reads the durations people type: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 48h}, {@code 2d}, or ISO-8601 {@code PT48H}. */
public final class Durations {

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException saying which forms are accepted when {@code text} is none of them
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is required, e.g. 30s, 5m, 48h");
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            try {
                return nonNegative(text, Duration.parse(t.toUpperCase(Locale.ROOT)));
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        int unitAt = 0;
        while (unitAt < t.length() && Character.isDigit(t.charAt(unitAt))) {
            unitAt++;
        }
        if (unitAt == 0 || unitAt > 12) {
            throw invalid(text);
        }
        long amount = Long.parseLong(t.substring(0, unitAt));
        switch (t.substring(unitAt)) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            case "d":
                return Duration.ofDays(amount);
            default:
                throw invalid(text);
        }
    }

    private static Duration nonNegative(String text, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration \"" + text + "\" is negative");
        }
        return d;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("\"" + text + "\" is not a duration; use a whole number with "
                + "ms, s, m, h or d (e.g. 30s, 48h) or ISO-8601 (PT48H)");
    }
}
