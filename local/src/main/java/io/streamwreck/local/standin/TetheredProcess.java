package io.streamwreck.local.standin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child process tethered to this JVM — a stand-in server, or a worker JVM of the local system: its output goes
 * to a log file, and it never outlives us. Tests use {@link #kill()} for a crash, {@link #stop(Duration)} for a
 * graceful stop and {@link #pause()} for a hang.
 *
 * <p>Three layers make sure no server is left behind: {@link #stop()} (SIGTERM, then SIGKILL, children
 * included) from the stack's close and from a JVM shutdown hook; and, when the JVM dies without running
 * hooks ({@code kill -9}), {@code setpriv --pdeathsig} has the kernel send the server SIGTERM. The kernel
 * sends that signal when the <em>thread</em> that started the process ends, so every process is started
 * from one daemon thread that lives as long as the JVM.
 */
public final class TetheredProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TetheredProcess.class);
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "streamwreck-process-launcher");
        t.setDaemon(true);
        return t;
    });
    /** Environment variable set on every process started here (stand-ins and workers alike). */
    static final String MARKER = "STREAMWRECK_LOCAL_STACK";
    private static final boolean HAS_SETPRIV = Files.isExecutable(Path.of("/usr/bin/setpriv"));

    private final String name;
    private final Process process;
    private final Path logFile;
    private volatile boolean paused;

    private TetheredProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts {@code command} in {@code workDir} with extra environment variables, output (stdout and stderr)
     * appended to {@code logFile}.
     */
    public static TetheredProcess start(String name, List<String> command, Map<String, String> env, Path workDir, Path logFile) {
        List<String> full = new ArrayList<>();
        if (HAS_SETPRIV) {
            full.addAll(List.of("/usr/bin/setpriv", "--pdeathsig", "TERM", "--"));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        // A marker that 'make test' looks for afterwards to prove no server outlived its stack.
        builder.environment().put(MARKER, logFile.toAbsolutePath().getParent().toString());
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "# " + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8);
            Process process = LAUNCHER.submit(builder::start).get(30, TimeUnit.SECONDS);
            log.debug("started {} (pid {}), log {}", name, process.pid(), logFile);
            return new TetheredProcess(name, process, logFile);
        } catch (ExecutionException e) {
            throw new LocalStackException("cannot start " + name + " (" + command.get(0) + "): " + e.getCause().getMessage(), e.getCause());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the log file " + logFile, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while starting " + name, e);
        } catch (TimeoutException e) {
            throw new LocalStackException("starting " + name + " took more than 30 s", e);
        }
    }

    /** A {@code java -jar} command line with the JVM running this one. */
    public static List<String> javaJar(Path jar, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(args);
        return command;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** The last lines of the log, for error messages when the process failed. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log " + logFile + " unreadable: " + e.getMessage() + ")";
        }
    }

    /** Sends SIGSTOP: the process freezes, as a hung one would (for fault tests). */
    public void pause() {
        signal("STOP");
        paused = true;
    }

    /** Sends SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
        paused = false;
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new LocalStackException("kill -" + signal + " " + process.pid() + " (" + name + ") failed");
            }
        } catch (IOException e) {
            throw new LocalStackException("cannot signal " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while signalling " + name, e);
        }
    }

    /** SIGKILL, no grace: a crash, for fault tests. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Only once it has exited. */
    public int exitValue() {
        return process.exitValue();
    }

    /** SIGTERM to the process and its descendants; SIGKILL to whatever is left after 5 seconds. */
    void stop() {
        stop(Duration.ofSeconds(5));
    }

    /**
     * SIGTERM to the process and its descendants; SIGKILL to whatever is left after {@code grace}. The
     * stand-ins keep nothing on disk, so a kill loses nothing; kinesis-local, for one, waits for idle
     * keep-alive connections before it exits on SIGTERM.
     */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> family = new ArrayList<>();
        process.descendants().forEach(family::add);
        family.add(process.toHandle());
        if (paused) {
            // A stopped process cannot act on SIGTERM.
            family.forEach(p -> sendQuietly("CONT", p.pid()));
        }
        family.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle p : family) {
            try {
                p.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                log.debug("{} (pid {}) still running {} ms after SIGTERM; killing it", name, p.pid(), grace.toMillis());
                p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            } catch (ExecutionException e) {
                p.destroyForcibly();
            }
        }
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #stop(Duration)} with a 30 s grace. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    private static void sendQuietly(String signal, long pid) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // Nothing to resume: the process is gone or was never paused.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
