package io.streamwreck.local;

import io.streamwreck.local.lambda.ApiGatewayServer;
import io.streamwreck.local.lambda.SnsToLambdaRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Starts the stack and keeps it running until this process gets SIGTERM or SIGINT ({@code make down}): the
 * stand-ins, the notices topic with the notified Lambda behind it (SNS → SQS → handler), and the checker
 * Lambda served over HTTP. Once everything answers it writes {@code <state-dir>/env} (export lines) and
 * {@code <state-dir>/pid}. A Lambda whose deployment jar is not built is skipped with a warning.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts the local stack, the notified Lambda (behind the SNS topic) and the checker (HTTP),",
                "and keeps them running until SIGTERM/SIGINT. When ready, prints the environment as export lines",
                "and writes them to <state-dir>/env."})
final class UpCommand implements Callable<Integer> {

    static final String TOPIC_NAME = "streamwreck-notices";

    @Option(names = "--state-dir", defaultValue = "${env:STREAMWRECK_STATE_DIR:-target/local-stack}",
            description = "Where logs, env and pid files go (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--stream", defaultValue = "${env:STREAM_NAME:-orders}",
            description = "The stream the checker reconciles by default (default: ${DEFAULT-VALUE}).")
    String stream;

    @Option(names = "--app", defaultValue = "${env:APP_NAME:-billing}",
            description = "The consumer application the checker reconciles by default (default: ${DEFAULT-VALUE}).")
    String app;

    @Option(names = "--checker-port", defaultValue = "${env:CHECKER_PORT:-8080}",
            description = "Port of the checker on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int checkerPort;

    @Option(names = "--checker-jar", defaultValue = "checker-lambda/target/checker-lambda.jar",
            description = "The checker's deployment jar (default: ${DEFAULT-VALUE}).")
    Path checkerJar;

    @Option(names = "--notified-jar", defaultValue = "notified-lambda/target/notified-lambda.jar",
            description = "The notified Lambda's deployment jar (default: ${DEFAULT-VALUE}).")
    Path notifiedJar;

    @Override
    public Integer call() throws Exception {
        Path env = stateDir.resolve("env");
        Path pid = stateDir.resolve("pid");
        Files.deleteIfExists(env);
        LocalStack stack = LocalStack.start(stateDir);
        List<AutoCloseable> functions = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable f : functions) {
                try {
                    f.close();
                } catch (Exception e) {
                    System.err.println("warning: stopping a function: " + e.getMessage());
                }
            }
            stack.close();
            try {
                Files.deleteIfExists(env);
                Files.deleteIfExists(pid);
            } catch (IOException e) {
                // Leaving a stale file is harmless: 'make up' rewrites both and 'make down' checks the pid.
            }
            stopped.countDown();
        }, "streamwreck-up-shutdown"));

        Map<String, String> environment = new LinkedHashMap<>(stack.endpoints().environment());
        String topicArn = stack.sns().createTopic(b -> b.name(TOPIC_NAME)).topicArn();
        environment.put("TOPIC_ARN", topicArn);
        environment.put("STREAM_NAME", stream);
        environment.put("APP_NAME", app);
        if (Files.isRegularFile(notifiedJar)) {
            functions.add(SnsToLambdaRuntime.builder()
                    .stack(stack)
                    .topicArn(topicArn)
                    .functionName("notified-lambda")
                    .deploymentJar(notifiedJar)
                    .handlerClass("io.streamwreck.notified.NotifiedHandler::handleRequest")
                    .environment(environment)
                    .start());
        } else {
            System.err.println("warning: " + notifiedJar + " is not built (make build): notices are not recorded");
        }
        if (Files.isRegularFile(checkerJar)) {
            ApiGatewayServer checker = ApiGatewayServer.fromDeploymentPackage("checker-lambda", checkerJar,
                    "io.streamwreck.checker.CheckerHandler::handleRequest", environment);
            functions.add(checker);
            checker.start(checkerPort);
            environment.put("CHECKER_URL", checker.url().toString());
        } else {
            System.err.println("warning: " + checkerJar + " is not built (make build): no checker on port " + checkerPort);
        }

        String exports = environment.entrySet().stream()
                .map(e -> "export " + e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(System.lineSeparator(), "", System.lineSeparator()));
        writeAtomically(pid, ProcessHandle.current().pid() + System.lineSeparator());
        writeAtomically(env, exports);
        System.out.print(exports);
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
