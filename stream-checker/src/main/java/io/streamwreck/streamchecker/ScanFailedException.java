package io.streamwreck.streamchecker;

import io.streamwreck.core.cli.CliConventions;

/**
 * The scan cannot go on — no such stream, Kinesis or the checker unreachable, the checker refused a request.
 * The message is one line that says what failed and where, for stderr; the command exits 2.
 */
final class ScanFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScanFailedException(String message) {
        super(message);
    }

    ScanFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The deepest cause's message on one line: SDK and socket messages are the informative ones. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
        return oneLine(m);
    }

    static String oneLine(String text) {
        return CliConventions.oneLine(text);
    }
}
