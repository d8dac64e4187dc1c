package io.streamwreck.streamchecker;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether standard error is a terminal, so that progress is shown only where someone watches it. */
final class StderrTerminal {

    private StderrTerminal() {
    }

    static boolean isTerminal() {
        // Java 17 has no per-stream check; on Linux the file descriptor's link names the device.
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            // Not Linux: System.console() is null when stdin or stdout is redirected, a fair approximation.
            return System.console() != null;
        }
    }
}
