package io.streamwreck.local.standin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A program the local system runs beside the stand-ins — a processor worker, say — with the same guarantees as
 * the stand-ins themselves: output to a log file, and it never outlives this JVM (see {@link ManagedProcess}).
 * Tests use {@link #kill()} for a crash and {@link #stop(Duration)} for a graceful stop.
 */
public final class ChildProcess implements AutoCloseable {

    private final ManagedProcess process;

    private ChildProcess(ManagedProcess process) {
        this.process = process;
    }

    /** Starts {@code command} in {@code workDir} with extra environment variables; stdout and stderr go to {@code logFile}. */
    public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path workDir, Path logFile) {
        return new ChildProcess(ManagedProcess.start(name, command, env, workDir, logFile));
    }

    /** A {@code java -jar} command line with the JVM running this one. */
    public static List<String> javaJar(Path jar, List<String> jvmOptions, List<String> args) {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(args);
        return command;
    }

    public String name() {
        return process.name();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Only once it has exited. */
    public int exitValue() {
        return process.exitValue();
    }

    public Path logFile() {
        return process.logFile();
    }

    public String logTail(int lines) {
        return process.logTail(lines);
    }

    /** SIGKILL: the process dies at once, as in a crash or {@code kill -9}. */
    public void kill() {
        process.kill();
    }

    /** SIGTERM, then SIGKILL if it has not exited after {@code grace}. */
    public void stop(Duration grace) {
        process.stop(grace);
    }

    /** SIGSTOP: frozen, as a hung process would be. */
    public void pause() {
        process.pause();
    }

    public void resume() {
        process.resume();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(30));
    }
}
