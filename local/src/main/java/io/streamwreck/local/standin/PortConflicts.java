package io.streamwreck.local.standin;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * Retries a server start when the free port it was given was taken by someone else in the meantime
 * (the gap between finding a free port and binding it cannot be closed from outside the server).
 */
final class PortConflicts {

    private static final int ATTEMPTS = 3;

    private PortConflicts() {
    }

    static <T> T retry(Supplier<T> start) {
        LocalStackException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return start.get();
            } catch (LocalStackException e) {
                if (!isPortConflict(e)) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private static boolean isPortConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("eaddrinuse") || m.contains("address already in use") || m.contains("address in use")) {
                return true;
            }
        }
        return false;
    }
}
