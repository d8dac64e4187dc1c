package io.streamwreck.local;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the stack and keeps it running until this process gets SIGTERM or SIGINT ({@code make down}).
 * Once every stand-in answers it writes {@code <state-dir>/env} (export lines) and {@code <state-dir>/pid}.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts the local stack and keeps it running until SIGTERM/SIGINT.",
                "When ready, prints the endpoints as export lines and writes them to <state-dir>/env."})
final class UpCommand implements Callable<Integer> {

    @Option(names = "--state-dir", defaultValue = "${env:STREAMWRECK_STATE_DIR:-target/local-stack}",
            description = "Where logs, env and pid files go (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        Path env = stateDir.resolve("env");
        Path pid = stateDir.resolve("pid");
        Files.deleteIfExists(env);
        LocalStack stack = LocalStack.start(stateDir);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            try {
                Files.deleteIfExists(env);
                Files.deleteIfExists(pid);
            } catch (IOException e) {
                // Leaving a stale file is harmless: 'make up' rewrites both and 'make down' checks the pid.
            }
            stopped.countDown();
        }, "streamwreck-up-shutdown"));
        writeAtomically(pid, ProcessHandle.current().pid() + System.lineSeparator());
        writeAtomically(env, stack.endpoints().exportLines());
        System.out.print(stack.endpoints().exportLines());
        System.out.flush();
        System.err.println("local stack ready in " + stack.readyTime().toMillis() + " ms; logs in "
                + stack.logDir().toAbsolutePath() + "; stop with SIGTERM (make down)");
        stopped.await();
        return 0;
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
