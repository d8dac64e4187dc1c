package io.streamwreck.local.cli;

import io.streamwreck.local.standin.LocalEndpoints;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.system.LocalSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * {@code make up}: the same system as {@code make run} — the stand-ins, a 4-shard stream, the notified Lambda behind
 * the notices topic (SNS → SQS → handler), the checker over HTTP, a two-worker processor fleet, an adapter and (unless
 * {@code --no-lambda-consumer}) the example Lambda consumer behind a local event source mapping — left running
 * until this process gets SIGTERM or SIGINT ({@code make down}). Once everything answers it writes
 * {@code <state-dir>/env} (export lines) and {@code <state-dir>/pid}.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts the local stack, a stream, the notified Lambda (behind the SNS topic), the checker (HTTP)",
                "and a processor fleet, and keeps them running until SIGTERM/SIGINT. When ready, prints the",
                "environment as export lines and writes them to <state-dir>/env."})
final class UpCommand implements Callable<Integer> {

    @Option(names = "--state-dir", defaultValue = "${env:STREAMWRECK_STATE_DIR:-target/local-stack}",
            description = "Where logs, env and pid files go (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--stream", defaultValue = "${env:STREAM_NAME:-orders}",
            description = "The stream to create and consume (default: ${DEFAULT-VALUE}).")
    String stream;

    @Option(names = "--app", defaultValue = "${env:APP_NAME:-billing}",
            description = "The consumer application (default: ${DEFAULT-VALUE}).")
    String app;

    @Option(names = "--shards", defaultValue = "4", description = "Shards of the stream (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--workers", defaultValue = "2", description = "Processor worker processes (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--simulate-skip", defaultValue = "5",
            description = "Workers drop records whose sequence number mod N == 0, to show drift; 0 = off (default: ${DEFAULT-VALUE}).")
    long skip;

    @Option(names = "--checker-port", defaultValue = "${env:CHECKER_PORT:-8080}",
            description = "Port of the checker on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int checkerPort;

    @Option(names = "--checker-iam", defaultValue = "${env:CHECKER_IAM:-false}", arity = "0..1", fallbackValue = "true",
            description = "The checker API requires SigV4 signatures with the local credentials, as IAM authorisation does on AWS; "
                    + "the exports then set CHECKER_SIGN=true so the stream-checker signs (default: $CHECKER_IAM, else false: open).")
    boolean checkerIam;

    @Option(names = "--lambda-consumer", defaultValue = "${env:LAMBDA_CONSUMER:-true}", negatable = true, fallbackValue = "true",
            description = "Also run the example Lambda consumer (lambda-consumer.jar) behind a local event source mapping, as its "
                    + "own application <app>-lambda (default: $LAMBDA_CONSUMER, else true; --no-lambda-consumer: off).")
    boolean lambdaConsumer;

    @Option(names = "--stack-only", description = "Start only the stand-ins for AWS: no stream, Lambdas or fleet (needs no built jars).")
    boolean stackOnly;

    @Option(names = "--repository", defaultValue = ".",
            description = "The repository root, whose modules' target/ hold the jars (default: ${DEFAULT-VALUE}).")
    Path repository;

    @Override
    public Integer call() throws Exception {
        Path env = stateDir.resolve("env");
        Path pid = stateDir.resolve("pid");
        Files.deleteIfExists(env);
        LocalStack stack = LocalStack.start(stateDir);
        stack.closedByCallersShutdownHook(); // the hook below stops the system first, then the stack
        CountDownLatch stopped = new CountDownLatch(1);
        List<LocalSystem> systems = new CopyOnWriteArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            systems.forEach(LocalSystem::close);
            stack.close();
            try {
                Files.deleteIfExists(env);
                Files.deleteIfExists(pid);
            } catch (IOException e) {
                // Leaving a stale file is harmless: 'make up' rewrites both and 'make down' checks the pid.
            }
            stopped.countDown();
        }, "streamwreck-up-shutdown"));

        Map<String, String> environment = new TreeMap<>(stack.endpoints().environment());
        if (!stackOnly) {
            LocalSystem system = LocalSystem.builder().stack(stack).repository(repository).workDir(stateDir.resolve("system"))
                    .stream(stream).app(app).shards(shards).workers(workers).simulateSkip(skip).checkerPort(checkerPort)
                    .checkerIam(checkerIam).adapter(true).lambdaConsumer(lambdaConsumer).start();
            systems.add(system);
            environment.putAll(system.environment());
        }
        String exports = LocalEndpoints.exportLines(environment);
        writeAtomically(pid, ProcessHandle.current().pid() + System.lineSeparator());
        writeAtomically(env, exports);
        System.out.print(exports);
        System.out.flush();
        if (lambdaConsumer && !stackOnly) {
            System.err.println("Lambda consumer running as app " + environment.get("LAMBDA_APP_NAME") + " (log "
                    + stateDir.resolve("system").resolve("lambda-consumer.log").toAbsolutePath() + "); reconcile it with: "
                    + "stream-checker --app " + environment.get("LAMBDA_APP_NAME"));
        }
        System.err.println("local system ready: stack in " + stack.readyTime().toMillis() + " ms; logs in "
                + stack.logDir().toAbsolutePath() + " and " + stateDir.resolve("system").toAbsolutePath()
                + "; stop with SIGTERM (make down)");
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
