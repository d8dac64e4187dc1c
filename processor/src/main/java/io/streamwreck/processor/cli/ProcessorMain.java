package io.streamwreck.processor.cli;

import io.streamwreck.core.cli.AwsOptions;
import io.streamwreck.core.cli.CliConventions;
import io.streamwreck.core.cli.DurationConverter;
import io.streamwreck.core.config.ConfigException;
import io.streamwreck.core.config.StreamwreckConfig;
import io.streamwreck.processor.InitialPosition;
import io.streamwreck.processor.ProcessorApp;
import io.streamwreck.processor.ProcessorSettings;
import io.streamwreck.processor.WorkerId;
import io.streamwreck.processor.handler.RecordHandler;
import io.streamwreck.processor.handler.RecordHandlers;
import io.streamwreck.processor.kcl.KplDeaggregation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.kinesis.metrics.MetricsLevel;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar processor.jar --stream S --app A --topic-arn T}: one worker of the processor fleet. Start N
 * of them with the same {@code --app} and KCL spreads the shards across them.
 */
@Command(name = "processor.jar", mixinStandardHelpOptions = true, version = "streamwreck processor 0.1.0",
        sortOptions = false,
        description = {"One worker of a KCL 2.x consumer fleet: runs the record handler on every record of the stream, "
                + "publishes \"processed\" notices to SNS (batched, retried until published) and checkpoints in the "
                + "DynamoDB lease table (named after --app) only records whose notices were published.",
                "Start several with the same --app: they share the shards through the lease table. SIGTERM stops a "
                + "worker gracefully (publish, checkpoint); KCL 2.x does not release its leases, so another worker takes "
                + "its shards once they expire (2-4 x --failover-time)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"143:stopped by SIGTERM (130: SIGINT) after a graceful shutdown: the JVM's usual code for a signal",
                "1:the worker stopped on its own (KCL gave up: see the log)",
                "2:usage error or bad configuration, e.g. an audit log that cannot be opened (nothing was started)",
                "3:a shard could not report a batch (audit log not writable, notice not buildable) for --report-timeout: "
                        + "the worker stopped without checkpointing past it, so another worker (or this one, restarted) "
                        + "delivers it again from the last checkpoint"},
        footerHeading = "%nEnvironment:%n",
        footer = {"STREAM_NAME, APP_NAME, TOPIC_ARN, AWS_REGION, INITIAL_POSITION, FAILOVER_TIME, RETRIEVAL, KCL_METRICS, "
                + "RECORD_HANDLER, SIMULATE_SKIP, AUDIT_LOG, WORKER_ID, POLL_INTERVAL, MAX_RECORDS, SHARD_SYNC_INTERVAL, PUBLISH_LINGER, MAX_PENDING_BATCHES, CHECKPOINT_INTERVAL, KPL_DEAGGREGATION, REPORT_TIMEOUT give defaults for the flags of the same name.",
                "Endpoints for local stand-ins: AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SNS, "
                + "AWS_ENDPOINT_URL_CLOUDWATCH (or AWS_ENDPOINT_URL). Credentials come from the AWS SDK's default chain.",
                "Logs go to stderr."})
public final class ProcessorMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ProcessorMain.class);

    @Spec
    CommandSpec spec;

    @Option(names = {"-s", "--stream"}, defaultValue = "${env:STREAM_NAME}", paramLabel = "NAME",
            description = "The stream to consume (default: $STREAM_NAME).")
    String stream;

    @Option(names = {"-a", "--app"}, defaultValue = "${env:APP_NAME}", paramLabel = "NAME",
            description = "The consumer application: names the lease table and the ledger scope; workers with the same name form one fleet (default: $APP_NAME).")
    String app;

    @Option(names = "--topic-arn", defaultValue = "${env:TOPIC_ARN}", paramLabel = "ARN",
            description = "The SNS topic for notices (default: $TOPIC_ARN).")
    String topicArn;

    @Option(names = "--initial-position", defaultValue = "${env:INITIAL_POSITION:-trim-horizon}", paramLabel = "POS",
            description = {"trim-horizon, latest or at-timestamp=<ISO-8601>, e.g. at-timestamp=2026-11-22T10:00:00Z (default: ${DEFAULT-VALUE}).",
                    "Used only the first time the application runs (shards without a lease): afterwards the checkpoints in the lease table win."})
    String initialPosition;

    @Option(names = "--failover-time", defaultValue = "${env:FAILOVER_TIME:-10s}", paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long a worker's lease may go unrenewed before another worker takes its shard, e.g. 2s, 10s (default: ${DEFAULT-VALUE}). "
                    + "Shorter: faster failover, more DynamoDB writes.")
    Duration failoverTime;

    @Option(names = "--retrieval", defaultValue = "${env:RETRIEVAL:-polling}", paramLabel = "MODE",
            description = "polling (GetRecords, shared throughput) or fanout (enhanced fan-out, a dedicated 2 MB/s per shard) (default: ${DEFAULT-VALUE}).")
    String retrieval;

    @Option(names = "--poll-interval", defaultValue = "${env:POLL_INTERVAL:-1s}", paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Polling: KCL's pause before each GetRecords call of a shard, so it also caps a backlog's read rate at --max-records per interval "
                    + "(default: ${DEFAULT-VALUE}; Kinesis allows 5 calls/s per shard across all consumers).")
    Duration pollInterval;

    @Option(names = "--max-records", defaultValue = "${env:MAX_RECORDS:-10000}", paramLabel = "N",
            description = "Polling: records per GetRecords call, 1..10000 (default: ${DEFAULT-VALUE}).")
    int maxRecords;

    @Option(names = "--shard-sync-interval", defaultValue = "${env:SHARD_SYNC_INTERVAL:-60s}", paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How often KCL looks for new shards after a reshard (default: ${DEFAULT-VALUE}).")
    Duration shardSyncInterval;

    @Option(names = "--handler", defaultValue = "${env:RECORD_HANDLER}", paramLabel = "CLASS",
            description = "Your RecordHandler implementation (on the class path). Default: one registered through ServiceLoader, else the counting handler.")
    String handlerClass;

    @Option(names = "--simulate-skip", defaultValue = "${env:SIMULATE_SKIP:-0}", paramLabel = "N",
            description = "Default handler only: skip (drop) each record whose sequence number mod N == 0, to produce known drift; 0 = off (default: ${DEFAULT-VALUE}).")
    long simulateSkip;

    @Option(names = "--audit-log", defaultValue = "${env:AUDIT_LOG}", paramLabel = "FILE",
            description = "Append one JSON line per record the handler completed (key, worker, time, notice) and per notice SNS accepted.")
    Path auditLog;

    @Option(names = "--metrics", defaultValue = "${env:KCL_METRICS:-summary}", paramLabel = "LEVEL",
            description = "KCL's CloudWatch metrics: none, summary or detailed (default: ${DEFAULT-VALUE}; use none on the local stack).")
    String metrics;

    @Option(names = "--worker-id", defaultValue = "${env:WORKER_ID}", paramLabel = "ID",
            description = "This worker's id in the lease table (default: host:pid:random).")
    String workerId;

    @Option(names = "--publish-linger", defaultValue = "${env:PUBLISH_LINGER:-500ms}", paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long a notice may wait for others to share its SNS PublishBatch call: longer = fewer SNS calls, later checkpoints (default: ${DEFAULT-VALUE}).")
    Duration publishLinger;

    @Option(names = "--max-pending-batches", defaultValue = "${env:MAX_PENDING_BATCHES:-4}", paramLabel = "N",
            description = "Batches per shard that may wait for SNS before the shard stops reading (default: ${DEFAULT-VALUE}).")
    int maxPendingBatches;

    @Option(names = "--checkpoint-interval", defaultValue = "${env:CHECKPOINT_INTERVAL:-0s}", paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Checkpoint a shard at most this often, e.g. 30s: fewer DynamoDB writes, more records delivered again after a failover "
                    + "(default: ${DEFAULT-VALUE}, after every published batch). Shutdown and shard end always checkpoint.")
    Duration checkpointInterval;

    @Option(names = "--kpl-deaggregation", defaultValue = "${env:KPL_DEAGGREGATION:-strict}", paramLabel = "MODE",
            description = {"KPL aggregates holding a user record whose hash key (explicit, or MD5 of its partition key) lies outside "
                    + "the hash-key range of the shard they were read from: strict drops the whole aggregate, as KCL does, and "
                    + "reports its user records undelivered; all hands every user record to the handler (default: ${DEFAULT-VALUE}).",
                    "The KPL itself aggregates per shard, so only aggregates built otherwise are affected."})
    String kplDeaggregation;

    @Option(names = "--report-timeout", defaultValue = "${env:REPORT_TIMEOUT:-30s}", paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = {"How long a shard may hold a batch it cannot report (the audit log cannot be written, a notice cannot be built) "
                    + "before the worker gives up and exits with code 3, so that another worker takes its shards from their last "
                    + "checkpoints (default: ${DEFAULT-VALUE}).",
                    "Waiting for SNS does not count: an SNS outage is waited out (the shard stops reading) however long it lasts."})
    Duration reportTimeout;

    @Option(names = "--progress-interval", defaultValue = "30s", paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How often to log a progress line: records received, handled and failed, notices and SNS calls, checkpoints (default: ${DEFAULT-VALUE}).")
    Duration progressInterval;

    @Mixin
    AwsOptions aws;

    /** The benchmark's baseline only: build notices and drop them. Hidden because it defeats the tool's purpose. */
    @Option(names = "--discard-notices", hidden = true)
    boolean discardNotices;

    /** The worker gave up on a shard it could not report for --report-timeout. */
    public static final int EXIT_GAVE_UP = 3;

    private final CountDownLatch stopped = new CountDownLatch(1);

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with streamwreck's error conventions: one {@code error: …} line and exit 2 for bad input. */
    public static CommandLine commandLine() {
        return CliConventions.apply(new CommandLine(new ProcessorMain()));
    }

    @Override
    public Integer call() {
        ProcessorSettings settings = settings();
        RecordHandler handler;
        try {
            handler = RecordHandlers.load(Optional.ofNullable(blankToNull(handlerClass)), simulateSkip,
                    Thread.currentThread().getContextClassLoader());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ProcessorApp app;
        try {
            app = new ProcessorApp(settings, handler);
        } catch (RuntimeException | Error e) {
            try {
                handler.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        Thread hook = new Thread(() -> {
            log.info("shutdown requested: publishing and checkpointing what was handled");
            boolean graceful = app.shutdown();
            log.info(graceful ? "graceful shutdown complete" : "graceful shutdown did not complete in time");
            app.close();
            stopped.countDown();
        }, "processor-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            app.run();
        } catch (RuntimeException | Error e) {
            if (removeHook(hook)) {
                app.close();
            }
            throw e;
        }
        // run() returns when the scheduler stops: after a graceful shutdown (the hook is running) or on its own.
        if (stopped.getCount() > 0 && removeHook(hook)) {
            closeReporting(app);
            if (app.gaveUpOn().isPresent()) {
                log.info("exiting with code {}: gave up shard {} (see the error above)", EXIT_GAVE_UP, app.gaveUpOn().get());
                return EXIT_GAVE_UP;
            }
            log.error("the KCL scheduler stopped on its own; see the log above");
            return 1;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Closes the worker; a failure (the audit log that made it give up cannot be flushed, say) is logged, not thrown. */
    private static void closeReporting(ProcessorApp app) {
        try {
            app.close();
        } catch (RuntimeException e) {
            log.warn("closing the worker: {}", e.getMessage());
        }
    }

    /** False when the JVM is already shutting down (the hook is running and will finish the job). */
    private static boolean removeHook(Thread hook) {
        try {
            return Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            return false;
        }
    }

    private ProcessorSettings settings() {
        StreamwreckConfig config;
        try {
            config = StreamwreckConfig.fromEnvironment();
            return new ProcessorSettings(
                    required(stream, "--stream", "STREAM_NAME"),
                    required(app, "--app", "APP_NAME"),
                    required(topicArn, "--topic-arn", "TOPIC_ARN"),
                    aws.region(config),
                    config.endpoint(StreamwreckConfig.Service.KINESIS),
                    config.endpoint(StreamwreckConfig.Service.DYNAMODB),
                    config.endpoint(StreamwreckConfig.Service.SNS),
                    config.endpoint(StreamwreckConfig.Service.CLOUDWATCH),
                    parse("--initial-position", () -> InitialPosition.parse(initialPosition)),
                    positive("--failover-time", failoverTime),
                    parse("--retrieval", () -> retrieval(retrieval)),
                    positive("--poll-interval", pollInterval),
                    range("--max-records", maxRecords, 1, 10_000),
                    positive("--shard-sync-interval", shardSyncInterval),
                    parse("--metrics", () -> metricsLevel(metrics)),
                    blankToNull(workerId) == null ? WorkerId.generate() : workerId.trim(),
                    Optional.ofNullable(auditLog),
                    positive("--publish-linger", publishLinger),
                    range("--max-pending-batches", maxPendingBatches, 1, 1000),
                    notNegative("--checkpoint-interval", checkpointInterval),
                    positive("--progress-interval", progressInterval),
                    discardNotices,
                    parse("--kpl-deaggregation", () -> kplDeaggregation(kplDeaggregation)),
                    positive("--report-timeout", reportTimeout));
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static ProcessorSettings.Retrieval retrieval(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "polling" -> ProcessorSettings.Retrieval.POLLING;
            case "fanout", "fan-out" -> ProcessorSettings.Retrieval.FANOUT;
            default -> throw new IllegalArgumentException("'" + text + "' is not polling or fanout");
        };
    }

    private static KplDeaggregation kplDeaggregation(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "strict" -> KplDeaggregation.STRICT;
            case "all" -> KplDeaggregation.ALL;
            default -> throw new IllegalArgumentException("'" + text + "' is not strict or all");
        };
    }

    private static MetricsLevel metricsLevel(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> MetricsLevel.NONE;
            case "summary" -> MetricsLevel.SUMMARY;
            case "detailed" -> MetricsLevel.DETAILED;
            default -> throw new IllegalArgumentException("'" + text + "' is not none, summary or detailed");
        };
    }

    private String required(String value, String flag, String variable) {
        if (blankToNull(value) == null) {
            throw new ParameterException(spec.commandLine(), "missing " + flag + " (or environment variable " + variable + ")");
        }
        return value.trim();
    }

    private Duration positive(String flag, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new ParameterException(spec.commandLine(), flag + " must be positive, was " + d.toMillis() + " ms");
        }
        return d;
    }

    private Duration notNegative(String flag, Duration d) {
        if (d.isNegative()) {
            throw new ParameterException(spec.commandLine(), flag + " may not be negative, was " + d.toMillis() + " ms");
        }
        return d;
    }

    private int range(String flag, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(), flag + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    private interface Parse<T> {
        T get();
    }

    private <T> T parse(String flag, Parse<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), flag + ": " + e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
