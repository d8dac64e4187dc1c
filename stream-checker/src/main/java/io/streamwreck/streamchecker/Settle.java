package io.streamwreck.streamchecker;

import java.time.Duration;

/** How the settle window reads in the text report: {@code 60s}, {@code 5m}, {@code 1500ms}. */
final class Settle {

    private Settle() {
    }

    static String describe(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0 && ms >= 60_000 && ms % 3_600_000 != 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
