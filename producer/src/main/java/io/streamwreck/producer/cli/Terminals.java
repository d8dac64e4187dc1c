package io.streamwreck.producer.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether standard error is a terminal, so that a progress bar is shown only where someone watches it. */
final class Terminals {

    private Terminals() {
    }

    static boolean stderrIsTerminal() {
        // Java 17 has no per-stream check; on Linux the file descriptor's link names the device.
        Path fd2 = Path.of("/proc/self/fd/2");
        try {
            String target = Files.readSymbolicLink(fd2).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            // Not Linux: System.console() is null when stdin or stdout is redirected, a fair approximation.
            return System.console() != null;
        }
    }
}
