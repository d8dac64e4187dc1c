package io.streamwreck.local.standin;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the programs the stand-ins need on the PATH. */
final class Executables {

    private Executables() {
    }

    /** The program named by environment variable {@code override} if set, else the first {@code name} on the PATH. */
    static Optional<Path> find(String name, String override) {
        String explicit = System.getenv(override);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Like {@link #find}, but a missing program is an error that says how to install it. */
    static Path require(String name, String override, String howToInstall) {
        return find(name, override).orElseThrow(() -> new LocalStackException(
                "'" + name + "' was not found on the PATH (or in $" + override + "). " + howToInstall));
    }
}
