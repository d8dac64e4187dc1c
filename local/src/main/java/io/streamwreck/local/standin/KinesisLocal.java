package io.streamwreck.local.standin;

import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * kinesis-local (the npm build of kinesis-mock, the emulator LocalStack uses), pinned in
 * {@code local/package.json} and {@code local/package-lock.json}, forced onto 127.0.0.1 by
 * {@code local/loopback-preload.js}.
 */
final class KinesisLocal implements StandIn {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final TetheredProcess process;
    private final URI endpoint;
    private final Duration startupTime;

    private KinesisLocal(TetheredProcess process, URI endpoint, Duration startupTime) {
        this.process = process;
        this.endpoint = endpoint;
        this.startupTime = startupTime;
    }

    static KinesisLocal start(Path logDir) {
        Path home = home();
        Path node = Executables.require("node", "NODE", "Install Node.js 18 or newer.");
        return PortConflicts.retry(() -> startOnce(node, home, logDir));
    }

    private static KinesisLocal startOnce(Path node, Path home, Path logDir) {
        int port = LoopbackPorts.free();
        int tlsPort = LoopbackPorts.free();
        Path pkg = home.resolve("node_modules/kinesis-local");
        long began = System.nanoTime();
        TetheredProcess process = TetheredProcess.start("kinesis-local",
                List.of(node.toString(), "-r", home.resolve("loopback-preload.js").toString(), pkg.resolve("main.js").toString()),
                Map.of("KINESIS_MOCK_PLAIN_PORT", Integer.toString(port),
                        "KINESIS_MOCK_TLS_PORT", Integer.toString(tlsPort),
                        // Read relative to the working directory unless absolute.
                        "KINESIS_MOCK_CERT_PATH", pkg.resolve("server.json").toAbsolutePath().toString(),
                        "STREAMWRECK_BIND_HOST", LoopbackPorts.HOST,
                        // Streams are ACTIVE at once; resharding keeps a short, realistic UPDATING phase.
                        "CREATE_STREAM_DURATION", "0ms",
                        "DELETE_STREAM_DURATION", "0ms",
                        "AWS_ACCOUNT_ID", AwsClients.ACCOUNT_ID,
                        "AWS_REGION", AwsClients.REGION.id(),
                        // Its default of 50 shards in all is far below an account's; one stand-in serves a whole
                        // suite, and its PutRecords slows down as a shard fills, so large runs need many shards.
                        "SHARD_LIMIT", "2000",
                        "LOG_LEVEL", "WARN"),
                home, logDir.resolve("kinesis-local.log"));
        URI endpoint = URI.create("http://" + LoopbackPorts.HOST + ":" + port);
        try (KinesisClient kinesis = AwsClients.kinesis(endpoint)) {
            Readiness.await(process, READY_TIMEOUT, () -> LoopbackPorts.accepting(port) && kinesis.listStreams().streamNames() != null);
        } catch (RuntimeException e) {
            process.stop();
            throw e;
        }
        return new KinesisLocal(process, endpoint, Duration.ofNanos(System.nanoTime() - began));
    }

    /**
     * The folder holding {@code package.json} with kinesis-local installed under {@code node_modules}: from
     * {@code $STREAMWRECK_KINESIS_LOCAL_HOME}, else {@code local/} of the checkout found from the working
     * directory upwards. Runs {@code npm ci} there when the package is not installed yet.
     */
    static Path home() {
        String explicit = System.getenv("STREAMWRECK_KINESIS_LOCAL_HOME");
        Path home = explicit != null && !explicit.isBlank() ? Path.of(explicit) : findCheckoutHome()
                .orElseThrow(() -> new LocalStackException("cannot find local/package.json (kinesis-local) from "
                        + Path.of("").toAbsolutePath() + " upwards; run from the streamwreck checkout or set STREAMWRECK_KINESIS_LOCAL_HOME"));
        if (!Files.isRegularFile(home.resolve("node_modules/kinesis-local/main.js"))) {
            npmInstall(home);
        }
        return home.toAbsolutePath();
    }

    private static Optional<Path> findCheckoutHome() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("local"), dir)) {
                if (Files.isRegularFile(candidate.resolve("package.json")) && Files.isRegularFile(candidate.resolve("loopback-preload.js"))) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static synchronized void npmInstall(Path home) {
        if (Files.isRegularFile(home.resolve("node_modules/kinesis-local/main.js"))) {
            return;
        }
        Path npm = Executables.require("npm", "NPM", "Install Node.js and npm (Debian: apt-get install nodejs npm).");
        try {
            Process p = new ProcessBuilder(npm.toString(), "ci", "--no-audit", "--no-fund")
                    .directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("npm-ci.log").toFile())).start();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new LocalStackException("'npm ci' in " + home + " failed; see " + home.resolve("npm-ci.log"));
            }
        } catch (IOException e) {
            throw new LocalStackException("cannot run npm ci in " + home + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted during npm ci", e);
        }
    }

    @Override
    public String name() {
        return "kinesis";
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public Duration startupTime() {
        return startupTime;
    }

    TetheredProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(1));
    }
}
