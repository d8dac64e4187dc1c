package io.streamwreck.processor;

import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.standin.TetheredProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Worker processes of one application, each {@code java -jar processor.jar} with its own audit log. */
final class Fleet implements AutoCloseable {

    static final Path JAR = Path.of("target/processor.jar");

    private final LocalStack stack;
    private final String stream;
    private final String app;
    private final String topicArn;
    private final Path dir;
    private final List<String> extraArgs;
    private final List<TetheredProcess> workers = new ArrayList<>();

    Fleet(LocalStack stack, String stream, String app, String topicArn, Path dir, List<String> extraArgs) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is not built (mvn package builds it before the integration tests)");
        }
        this.stack = stack;
        this.stream = stream;
        this.app = app;
        this.topicArn = topicArn;
        this.dir = dir;
        this.extraArgs = extraArgs;
    }

    /** Every worker's failover time (--failover-time): tests derive their waits from it. */
    static final Duration FAILOVER_TIME = Duration.ofSeconds(2);
    /** Every worker's poll interval (--poll-interval). */
    static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    /** Starts worker {@code n} (its id is {@code worker-n}, its audit log {@code audit-n.jsonl}). */
    TetheredProcess start(int n) {
        return start(n, auditLog(n), List.of());
    }

    /** Starts worker {@code n} with an audit log of its own and flags of its own (after the fleet's). */
    TetheredProcess start(int n, Path auditLog, List<String> moreArgs) {
        Map<String, String> env = new HashMap<>(stack.endpoints().environment());
        env.put("KCL_METRICS", "none");
        List<String> args = new ArrayList<>(List.of("--stream", stream, "--app", app, "--topic-arn", topicArn,
                "--worker-id", workerId(n), "--audit-log", auditLog.toString(),
                "--failover-time", FAILOVER_TIME.toMillis() + "ms", "--poll-interval", POLL_INTERVAL.toMillis() + "ms",
                "--shard-sync-interval", "1s", "--publish-linger", "100ms", "--progress-interval", "1s"));
        args.addAll(extraArgs);
        args.addAll(moreArgs);
        TetheredProcess worker = TetheredProcess.start(workerId(n),
                TetheredProcess.javaJar(JAR, List.of("-Xmx384m", "-XX:+UseSerialGC", "-Xshare:auto"), args),
                env, dir, dir.resolve("worker-" + n + ".log"));
        workers.add(worker);
        return worker;
    }

    static String workerId(int n) {
        return "worker-" + n;
    }

    Path auditLog(int n) {
        return dir.resolve("audit-" + n + ".jsonl").toAbsolutePath();
    }

    @Override
    public void close() {
        for (TetheredProcess w : workers) {
            w.stop(Duration.ofSeconds(30));
        }
    }
}
