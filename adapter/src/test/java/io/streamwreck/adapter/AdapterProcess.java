package io.streamwreck.adapter;

import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.standin.TetheredProcess;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/** adapter.jar as a separate process on the local stack, as it runs for real: a JVM to kill, pause or SIGTERM. */
final class AdapterProcess implements AutoCloseable {

    static final Path JAR = Path.of("target/adapter.jar");
    private static final Pattern LISTENING = Pattern.compile("adapter listening on (http://\\S+)");

    private final TetheredProcess process;
    private final URI uri;

    private AdapterProcess(TetheredProcess process, URI uri) {
        this.process = process;
        this.uri = uri;
    }

    /** Starts one instance on a free port and waits until it listens. */
    static AdapterProcess start(LocalStack stack, String jdbcUrl, Path dir, String name, List<String> extraArgs) throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is not built (mvn package builds it before the integration tests)");
        }
        List<String> args = new ArrayList<>(List.of("--port", "0", "--database-url", jdbcUrl, "--instance-id", name));
        args.addAll(extraArgs);
        Map<String, String> env = new java.util.HashMap<>(stack.endpoints().environment());
        TetheredProcess process = TetheredProcess.start(name,
                TetheredProcess.javaJar(JAR, List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), args),
                env, dir, dir.resolve(name + ".log"));
        Matcher[] found = new Matcher[1];
        await("adapter " + name + " listening").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited " + process.exitValue() + ":\n" + process.logTail(40));
            }
            Matcher m = LISTENING.matcher(Files.readString(process.logFile()));
            if (m.find()) {
                found[0] = m;
                return true;
            }
            return false;
        });
        return new AdapterProcess(process, URI.create(found[0].group(1)));
    }

    URI uri() {
        return uri;
    }

    TetheredProcess process() {
        return process;
    }

    String log() throws java.io.IOException {
        return Files.readString(process.logFile());
    }

    /** SIGTERM and wait for the exit; the exit code. */
    int terminate(Duration wait) throws Exception {
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
        await("adapter exit").atMost(wait).until(() -> !process.isAlive());
        return process.exitValue();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(10));
    }
}
