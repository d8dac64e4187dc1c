package io.streamwreck.local.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamwreck.local.lambda.ApiGatewayServer;
import io.streamwreck.local.lambda.SigV4Verifier;
import io.streamwreck.local.lambda.SnsToLambdaRuntime;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.standin.LocalStackException;
import io.streamwreck.local.standin.TetheredProcess;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The whole streamwreck system on the local stack, as {@code make run}, {@code make up} and the fault suite use it:
 * a stream, the notices topic with the notified Lambda behind it (SNS → SQS → handler → Redis), the checker served
 * on 127.0.0.1, and a fleet of processor workers ({@code processor.jar}, one process each, with audit logs). The
 * producer and the stream-checker run as their own jars. Everything is started from the built jars of the
 * repository; nothing here depends on those modules' classes.
 */
public final class LocalSystem implements AutoCloseable {

    /** How long the producer may take to write one record (retrying) before the run fails. */
    private static final Duration PRODUCER_DEADLINE = Duration.ofMinutes(4);

    private static final ObjectMapper JSON = new ObjectMapper();
    /** AWS retries a failed asynchronous Lambda invocation twice, after about 1 and 2 minutes; halved here to keep runs short. */
    private static final List<Duration> NOTIFIED_RETRY_DELAYS = List.of(Duration.ofSeconds(30), Duration.ofSeconds(60));
    /** The workers' KCL timing (short, for a quick local fleet); {@code workerArgs} may override each. */
    static final Duration FAILOVER_TIME = Duration.ofSeconds(2);
    static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    static final Duration SHARD_SYNC_INTERVAL = Duration.ofSeconds(1);
    /** How often the readiness waits read the lease table, the queue or the checkpoints. */
    private static final Duration READINESS_POLL = Duration.ofMillis(250);
    /** KCL's epsilon (LeaseManagementConfig.epsilonMillis default): slack added to the failover time. */
    private static final Duration KCL_EPSILON = Duration.ofMillis(25);

    private final LocalStack stack;
    private final Path repository;
    private final Path workDir;
    private final String stream;
    private final String app;
    private final int shards;
    private final int fleetSize;
    private final long simulateSkip;
    private final int checkerPort;
    private final boolean checkerIam;
    private final List<String> workerArgs;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<TetheredProcess> workers = new ArrayList<>();
    private final boolean withAdapter;
    private final boolean withLambdaConsumer;
    private SnsToLambdaRuntime notified;
    private ApiGatewayServer checker;
    private TetheredProcess adapter;
    private TetheredProcess lambdaConsumer;
    private String topicArn;

    private LocalSystem(Builder b) {
        this.stack = b.stack;
        this.repository = b.repository.toAbsolutePath();
        this.workDir = b.workDir.toAbsolutePath();
        this.stream = b.stream;
        this.app = b.app;
        this.shards = b.shards;
        this.fleetSize = b.workers;
        this.simulateSkip = b.simulateSkip;
        this.checkerPort = b.checkerPort;
        this.checkerIam = b.checkerIam;
        this.workerArgs = List.copyOf(b.workerArgs);
        this.withAdapter = b.adapter;
        this.withLambdaConsumer = b.lambdaConsumer;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the Lambdas and the fleet, and waits until every shard's lease has settled on a worker. */
    public LocalSystem start() {
        try {
            return startParts();
        } catch (RuntimeException | Error e) {
            close(); // what did start must not outlive a failed start: the caller has nothing to close
            throw e;
        }
    }

    private LocalSystem startParts() {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path processorJar = jar("processor");
        try {
            stack.createStream(stream, shards);
        } catch (ResourceInUseException e) {
            // An existing stream is used as it is.
        }
        topicArn = stack.sns().createTopic(b -> b.name("notices-" + stream)).topicArn();
        environment.putAll(stack.endpoints().environment());
        environment.put("TOPIC_ARN", topicArn);
        environment.put("STREAM_NAME", stream);
        environment.put("APP_NAME", app);
        environment.put("KCL_METRICS", "none");
        notified = SnsToLambdaRuntime.builder()
                .stack(stack)
                .topicArn(topicArn)
                .functionName("notified-" + stream)
                .deploymentJar(jar("notified-lambda"))
                .handlerClass("io.streamwreck.notified.NotifiedHandler::handleRequest")
                .environment(environment)
                .retryDelays(NOTIFIED_RETRY_DELAYS)
                .start();
        checker = ApiGatewayServer.fromDeploymentPackage("checker-lambda", jar("checker-lambda"),
                "io.streamwreck.checker.CheckerHandler::handleRequest", environment);
        if (checkerIam) {
            // As deployed (AWS_IAM on every route): only requests signed with the local credentials get through, and
            // the stream-checker, run with this environment, signs its requests (CHECKER_SIGN).
            checker.requireSignatures(SigV4Verifier.forLocalStack());
            environment.put("CHECKER_SIGN", "true");
        }
        checker.start(checkerPort);
        environment.put("CHECKER_URL", checker.url().toString());
        if (withAdapter) {
            startAdapter();
        }
        if (withLambdaConsumer) {
            startLambdaConsumer();
        }
        for (int n = 1; n <= fleetSize; n++) {
            startWorker(n, processorJar);
        }
        // Worker JVMs starting on a busy machine take their time: the cap grows with the configured window.
        awaitLeasesSettled(max(Duration.ofSeconds(90), leaseStableWindow().multipliedBy(10)));
        return this;
    }

    /**
     * One adapter (table {@code <stream>} → the stream) on the stack's PostgreSQL (schema {@code adapter} of its
     * database) and a free port; exports {@code ADAPTER_URL} and {@code ADAPTER_DATABASE_URL}.
     */
    private void startAdapter() {
        String jdbcUrl = stack.postgres().jdbcUrl();
        List<String> args = List.of("--tables", stream + "=" + stream, "--port", "0", "--database-url", jdbcUrl,
                "--instance-id", "adapter-1", "--maintenance-flag", workDir.resolve("adapter-down-for-maintenance").toString());
        adapter = TetheredProcess.start("adapter-1",
                TetheredProcess.javaJar(jar("adapter"), List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), args),
                environment, workDir, workDir.resolve("adapter-1.log"));
        java.util.regex.Pattern listening = java.util.regex.Pattern.compile("adapter listening on (http://\\S+)");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            if (!adapter.isAlive()) {
                throw new LocalStackException("the adapter exited while starting:" + System.lineSeparator() + adapter.logTail(20));
            }
            java.util.regex.Matcher m;
            try {
                m = listening.matcher(Files.readString(adapter.logFile()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (m.find()) {
                environment.put("ADAPTER_URL", m.group(1));
                environment.put("ADAPTER_DATABASE_URL", jdbcUrl);
                return;
            }
            pause(deadline, "the adapter to listen");
        }
    }

    /**
     * The example Lambda consumer ({@code lambda-consumer.jar}'s {@code ExampleConsumerHandler}) behind the local
     * event source mapping, with cfn's settings, in a process of its own ({@code local.jar lambda-consumer}): its own
     * application {@code <app>-lambda} in the ledger, beside the fleet's; an on-failure queue {@code <stream>-lambda-failures}.
     * Exports {@code LAMBDA_APP_NAME} and {@code LAMBDA_FAILURE_QUEUE_URL}.
     */
    private void startLambdaConsumer() {
        String lambdaApp = app + "-lambda";
        String queueUrl = stack.sqs().createQueue(b -> b.queueName(stream + "-lambda-failures")).queueUrl();
        Map<String, String> functionEnvironment = new LinkedHashMap<>(environment);
        functionEnvironment.put("APP_NAME", lambdaApp);
        List<String> args = List.of("lambda-consumer", "--stream", stream, "--deployment-jar", jar("lambda-consumer").toString(),
                "--function-name", "consumer-" + stream, "--on-failure-queue-url", queueUrl);
        lambdaConsumer = TetheredProcess.start("lambda-consumer",
                TetheredProcess.javaJar(jar("local"), List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), args),
                functionEnvironment, workDir, workDir.resolve("lambda-consumer.log"));
        environment.put("LAMBDA_APP_NAME", lambdaApp);
        environment.put("LAMBDA_FAILURE_QUEUE_URL", queueUrl);
    }

    /** The Lambda consumer's process, when the system was built with {@link Builder#lambdaConsumer(boolean)}. */
    public java.util.Optional<TetheredProcess> lambdaConsumer() {
        return java.util.Optional.ofNullable(lambdaConsumer);
    }

    /** The adapter's process, when the system was built with {@link Builder#adapter(boolean)}. */
    public java.util.Optional<TetheredProcess> adapter() {
        return java.util.Optional.ofNullable(adapter);
    }

    /** Starts worker {@code n} (id {@code worker-n}, audit log {@code audit-n.jsonl}, log {@code worker-n.log}). */
    public TetheredProcess startWorker(int n) {
        return startWorker(n, jar("processor"));
    }

    private TetheredProcess startWorker(int n, Path processorJar) {
        List<String> args = new ArrayList<>(List.of("--stream", stream, "--app", app, "--topic-arn", topicArn,
                "--worker-id", workerId(n), "--audit-log", auditLog(n).toString(), "--metrics", "none",
                "--failover-time", FAILOVER_TIME.toMillis() + "ms", "--poll-interval", POLL_INTERVAL.toMillis() + "ms",
                "--shard-sync-interval", SHARD_SYNC_INTERVAL.toMillis() + "ms", "--publish-linger", "200ms"));
        if (simulateSkip > 0) {
            args.addAll(List.of("--simulate-skip", Long.toString(simulateSkip)));
        }
        args.addAll(workerArgs);
        TetheredProcess worker = TetheredProcess.start(workerId(n),
                TetheredProcess.javaJar(processorJar, List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), args),
                environment, workDir, workDir.resolve("worker-" + n + ".log"));
        workers.add(worker);
        return worker;
    }

    public static String workerId(int n) {
        return "worker-" + n;
    }

    public Path auditLog(int n) {
        return workDir.resolve("audit-" + n + ".jsonl");
    }

    public List<TetheredProcess> workers() {
        return List.copyOf(workers);
    }

    public Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    public String stream() {
        return stream;
    }

    public String app() {
        return app;
    }

    public LocalStack stack() {
        return stack;
    }

    public SnsToLambdaRuntime notified() {
        return notified;
    }

    public String checkerUrl() {
        return checker.url().toString();
    }

    /** The fleet's lease table (KCL's, named after the application). */
    public LeaseTable leaseTable() {
        return new LeaseTable(stack, app);
    }

    /**
     * How long the lease table must stay unchanged before the fleet counts as settled: one run of every worker's
     * lease taker — KCL runs it every 2 x (failover time + epsilon), and a worker that should take or steal a lease
     * does so in that run — plus the workers' shard sync (new shards get their leases) and poll intervals and one
     * read of the table, all from the flags the workers were given (a {@code workerArgs} override counts). With the
     * defaults here (failover 2 s) about 5.5 s.
     */
    Duration leaseStableWindow() {
        return leaseStableWindow(workerArgs);
    }

    static Duration leaseStableWindow(List<String> workerArgs) {
        Duration failover = workerFlag(workerArgs, "--failover-time", FAILOVER_TIME);
        Duration takerInterval = failover.plus(KCL_EPSILON).multipliedBy(2);
        return takerInterval.plus(workerFlag(workerArgs, "--shard-sync-interval", SHARD_SYNC_INTERVAL))
                .plus(workerFlag(workerArgs, "--poll-interval", POLL_INTERVAL)).plus(READINESS_POLL);
    }

    /** A duration flag as the workers get it: the last of ours and {@code workerArgs} (picocli keeps the last). */
    private static Duration workerFlag(List<String> workerArgs, String flag, Duration ours) {
        Duration value = ours;
        for (int i = 0; i < workerArgs.size(); i++) {
            String arg = workerArgs.get(i);
            if (arg.equals(flag) && i + 1 < workerArgs.size()) {
                value = parseDuration(workerArgs.get(++i));
            } else if (arg.startsWith(flag + "=")) {
                value = parseDuration(arg.substring(flag.length() + 1));
            }
        }
        return value;
    }

    /**
     * The durations processor.jar reads ({@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}, ISO {@code PT2S}); a
     * copy of core's {@code Durations}, which this module cannot use (core's tests depend on it).
     */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("p")) {
            return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,12})(ms|s|m|h|d)").matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration (500ms, 2s, 1m, PT2S)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /**
     * Waits until every open shard has a lease with an owner, unchanged for {@link #leaseStableWindow()} (from
     * the first read that saw it to a later one).
     */
    public void awaitLeasesSettled(Duration timeout) {
        long window = leaseStableWindow().toNanos();
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> stable = null;
        long stableSince = 0;
        while (true) {
            Map<String, String> owners = new TreeMap<>();
            leaseTable().leases().forEach((shard, lease) -> owners.put(shard, lease.owner()));
            boolean allOwned = owners.size() >= openShards() && owners.values().stream().allMatch(o -> o != null);
            if (allOwned && owners.equals(stable)) {
                if (System.nanoTime() - stableSince > window) {
                    return;
                }
            } else {
                stable = allOwned ? owners : null;
                stableSince = System.nanoTime();
            }
            pause(deadline, "the fleet's leases to settle");
        }
    }

    private long openShards() {
        return stack.kinesis().listShards(b -> b.streamName(stream)).shards().stream()
                .filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null).count();
    }

    /**
     * Writes {@code count} generated records with {@code producer.jar} and returns their keys
     * ({@code shardId:sequenceNumber}) in write order.
     */
    public List<String> produce(int count) {
        return produce(count, 0);
    }

    /** As {@link #produce(int)}, at {@code rate} records per second (0 = as fast as the writer goes). */
    public List<String> produce(int count, int rate) {
        Path log = workDir.resolve("written-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(TetheredProcess.javaJar(jar("producer"), List.of("-Xmx512m"),
                List.of("--stream", stream, "--count", Integer.toString(count), "--rate", Integer.toString(rate),
                        // Every record must be written: a record keeps being retried for most of the run's 5 minutes
                        // (the writer's default 30 s gave up during a reshard on a loaded machine, when kinesis-local
                        // answered nothing for tens of seconds).
                        "--deadline", PRODUCER_DEADLINE.toSeconds() + "s",
                        "--written-log", log.toString())))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("producer.log").toFile()));
        pb.environment().putAll(environment);
        int code = run(pb, PRODUCER_DEADLINE.plusMinutes(1), "producer.jar");
        if (code != 0) {
            throw new IllegalStateException("producer.jar exited with " + code + "; see " + workDir.resolve("producer.log"));
        }
        try {
            List<String> keys = new ArrayList<>(count);
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    keys.add(line.substring(tab + 1).trim());
                }
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the fleet has checkpointed past every one of {@code keys} ({@code shardId:seq…}) and the notified
     * Lambda has recorded every notice published (its queue is empty).
     */
    public void awaitCaughtUp(Collection<String> keys, Duration timeout) {
        Map<String, BigInteger> last = new HashMap<>();
        for (String key : keys) {
            String[] parts = key.split(":");
            last.merge(parts[0], new BigInteger(parts[1]), BigInteger::max);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!checkpointedPast(last)) {
            pause(deadline, "the fleet to checkpoint every record");
        }
        while (!notifiedQueueDrained()) {
            pause(deadline, "the notified Lambda to record every notice");
        }
    }

    private boolean checkpointedPast(Map<String, BigInteger> last) {
        Map<String, LeaseTable.Lease> leases = leaseTable().leases();
        List<Shard> all = stack.kinesis().listShards(b -> b.streamName(stream)).shards();
        for (Map.Entry<String, BigInteger> e : last.entrySet()) {
            LeaseTable.Lease lease = leases.get(e.getKey());
            if (lease == null) {
                // KCL deletes a finished parent's lease once its children have started.
                boolean closed = all.stream().anyMatch(s -> s.shardId().equals(e.getKey()) && s.sequenceNumberRange().endingSequenceNumber() != null);
                if (closed && !leases.isEmpty()) {
                    continue;
                }
                return false;
            }
            String checkpoint = lease.checkpoint();
            if ("SHARD_END".equals(checkpoint)) {
                continue;
            }
            if (checkpoint == null || !checkpoint.chars().allMatch(Character::isDigit)
                    || new BigInteger(checkpoint).compareTo(e.getValue()) < 0) {
                return false;
            }
        }
        return true;
    }

    private boolean notifiedQueueDrained() {
        Map<QueueAttributeName, String> attributes = stack.sqs().getQueueAttributes(b -> b.queueUrl(notified.subscription().queueUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return "0".equals(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                && "0".equals(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** What one stream-checker run printed and returned. */
    public record CheckerRun(int exitCode, String stdout, String stderr, JsonNode report) {
    }

    /**
     * Runs {@code stream-checker.jar} against this system's checker API ({@code --endpoint}), with {@code args}
     * added; with {@code --format json} the report is parsed.
     */
    public CheckerRun streamChecker(List<String> args) {
        List<String> all = new ArrayList<>(List.of("--stream", stream, "--app", app, "--endpoint", checkerUrl()));
        all.addAll(args);
        Path out = workDir.resolve("stream-checker-" + System.nanoTime() + ".out");
        Path err = workDir.resolve("stream-checker-" + System.nanoTime() + ".err");
        ProcessBuilder pb = new ProcessBuilder(TetheredProcess.javaJar(jar("stream-checker"), List.of("-Xmx512m"), all))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(environment);
        int code = run(pb, Duration.ofMinutes(5), "stream-checker.jar");
        try {
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            JsonNode report = wantsJson(args) && code != 2 ? JSON.readTree(stdout) : null;
            return new CheckerRun(code, stdout, stderr, report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether stream-checker flags ask for the JSON report: {@code --format json} or {@code --format=json}, the last one winning. */
    static boolean wantsJson(List<String> args) {
        String format = "text";
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--format") && i + 1 < args.size()) {
                format = args.get(++i);
            } else if (arg.startsWith("--format=")) {
                format = arg.substring("--format=".length());
            }
        }
        return format.trim().equalsIgnoreCase("json");
    }

    private Path jar(String module) {
        Path jar = repository.resolve(module).resolve("target").resolve(module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new LocalStackException(jar + " is not built (make build builds every module)");
        }
        return jar;
    }

    private static int run(ProcessBuilder pb, Duration timeout, String what) {
        try {
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new LocalStackException(what + " did not finish within " + timeout.toSeconds() + " s");
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new LocalStackException("cannot run " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while running " + what, e);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static void pause(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new LocalStackException("timed out waiting for " + what);
        }
        try {
            Thread.sleep(READINESS_POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while waiting for " + what, e);
        }
    }

    /** Stops the fleet gracefully (SIGTERM: publish, checkpoint), then the Lambdas. The stack is the caller's. */
    @Override
    public void close() {
        workers.parallelStream().forEach(w -> w.stop(Duration.ofSeconds(30)));
        if (notified != null) {
            notified.close();
        }
        if (checker != null) {
            checker.close();
        }
        if (adapter != null) {
            adapter.stop(Duration.ofSeconds(30));
        }
        if (lambdaConsumer != null) {
            lambdaConsumer.stop(Duration.ofSeconds(30));
        }
    }

    public static final class Builder {
        private LocalStack stack;
        private Path repository = Path.of(".");
        private Path workDir;
        private String stream = "orders";
        private String app = "billing";
        private int shards = 4;
        private int workers = 2;
        private long simulateSkip;
        private int checkerPort;
        private boolean checkerIam;
        private List<String> workerArgs = List.of();
        private boolean adapter;
        private boolean lambdaConsumer;

        /** Also run the example Lambda consumer behind a local event source mapping (app {@code <app>-lambda}). */
        public Builder lambdaConsumer(boolean on) {
            this.lambdaConsumer = on;
            return this;
        }

        /** Also run one adapter ({@code adapter.jar}: table {@code <stream>} → the stream) on the stack's PostgreSQL. */
        public Builder adapter(boolean on) {
            this.adapter = on;
            return this;
        }

        /** More {@code processor.jar} flags for every worker, e.g. {@code --checkpoint-interval 5s}. */
        public Builder workerArgs(List<String> args) {
            this.workerArgs = args;
            return this;
        }

        public Builder stack(LocalStack stack) {
            this.stack = stack;
            return this;
        }

        /** The repository root, where every module's target/ holds its jar. */
        public Builder repository(Path repository) {
            this.repository = repository;
            return this;
        }

        /** Logs, audit logs and written logs go here. */
        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        public Builder stream(String stream) {
            this.stream = stream;
            return this;
        }

        public Builder app(String app) {
            this.app = app;
            return this;
        }

        public Builder shards(int shards) {
            this.shards = shards;
            return this;
        }

        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        public Builder simulateSkip(long n) {
            this.simulateSkip = n;
            return this;
        }

        /** 0 for any free port. */
        public Builder checkerPort(int port) {
            this.checkerPort = port;
            return this;
        }

        /** Whether the checker API requires SigV4 signatures, as with IAM authorisation on AWS (default: open). */
        public Builder checkerIam(boolean required) {
            this.checkerIam = required;
            return this;
        }

        public LocalSystem start() {
            if (stack == null || workDir == null) {
                throw new IllegalStateException("stack and workDir are required");
            }
            return new LocalSystem(this).start();
        }
    }
}
