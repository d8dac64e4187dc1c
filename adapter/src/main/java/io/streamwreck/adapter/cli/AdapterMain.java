package io.streamwreck.adapter.cli;

import io.streamwreck.adapter.AdapterService;
import io.streamwreck.adapter.TableRoutes;
import io.streamwreck.adapter.forward.KinesisForwarder;
import io.streamwreck.adapter.http.AdapterHttpServer;
import io.streamwreck.adapter.ingest.Ingester;
import io.streamwreck.adapter.queue.QueuePoller;
import io.streamwreck.adapter.staging.StagingDatabase;
import io.streamwreck.adapter.staging.StagingStore;
import io.streamwreck.core.cli.AwsOptions;
import io.streamwreck.core.cli.CliConventions;
import io.streamwreck.core.cli.DurationConverter;
import io.streamwreck.core.cli.HttpUrlConverter;
import io.streamwreck.core.cli.KinesisEndpointOption;
import io.streamwreck.core.config.StreamwreckConfig;
import io.streamwreck.producer.WriterClient;
import io.streamwreck.producer.WriterSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code java -jar adapter.jar --tables orders=orders --database-url jdbc:postgresql://…}: the kinesis-adapter
 * service. It runs until {@code POST /shutdown} or SIGTERM, then drains (see the exit codes).
 */
@Command(name = "adapter.jar", mixinStandardHelpOptions = true, version = "streamwreck adapter 0.1.0", sortOptions = false,
        description = {"The kinesis-adapter service: a webhook (POST /ingest) for new S3 log files; each file's lines are "
                + "staged in PostgreSQL, keyed by (file, line), and written to the table's Kinesis stream at least once, "
                + "every key a line got kept in its row.",
                "GET /status, GET /_health, GET /_ready, POST /shutdown. While the maintenance flag file exists, /ingest "
                + "answers 503 and staged lines keep draining."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped (POST /shutdown or SIGTERM) with every line this instance could write written",
                "1:stopped after --drain-timeout with lines still staged (nothing is lost: the next start writes them)",
                "2:usage error, or a failure to start (database or S3 unreachable, port taken)"},
        footerHeading = "%nEnvironment:%n",
        footer = {"ADAPTER_TABLES, DATABASE_URL, ADAPTER_QUEUE_URL, ADAPTER_BIND, ADAPTER_PORT, ADAPTER_MAINTENANCE_FLAG, ADAPTER_DRAIN_TIMEOUT "
                + "give defaults; AWS_REGION, AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL_S3 point at AWS or the local stand-ins; "
                + "credentials come from the AWS SDK's default chain. DATABASE_PASSWORD, if set, is the database password "
                + "(kept out of the URL; on ECS a Secrets Manager secret).",
                "On start it prints 'adapter listening on URL' to stdout; on stop one summary line."})
public final class AdapterMain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tables", defaultValue = "${env:ADAPTER_TABLES}", paramLabel = "T=S,…",
            description = "Where each table's lines go: table=stream pairs, e.g. orders=orders,clicks=clickstream (default: $ADAPTER_TABLES).")
    String tables;

    @Option(names = "--database-url", defaultValue = "${env:DATABASE_URL}", paramLabel = "URL",
            description = "The staging database: jdbc:postgresql://host:port/db?user=…&password=… or postgresql://user:password@host:port/db (default: $DATABASE_URL).")
    String databaseUrl;

    @Option(names = "--bind", defaultValue = "${env:ADAPTER_BIND:-127.0.0.1}", paramLabel = "HOST",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 only inside a private network: the webhook has no authentication).")
    String bind;

    @Option(names = "--port", defaultValue = "${env:ADAPTER_PORT:-8085}", paramLabel = "PORT",
            description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--maintenance-flag", defaultValue = "${env:ADAPTER_MAINTENANCE_FLAG:-/down-for-maintenenace}", paramLabel = "FILE",
            description = "While this file exists /ingest answers 503 (default: ${DEFAULT-VALUE}, the seed's path).")
    Path maintenanceFlag;

    @Option(names = "--drain-timeout", defaultValue = "${env:ADAPTER_DRAIN_TIMEOUT:-60s}", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "On shutdown, how long to finish ingests and write staged lines before exiting 1 (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--put-deadline", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long the writer retries one put before the line goes back to the queue (default: ${DEFAULT-VALUE}).")
    Duration putDeadline;

    @Option(names = "--call-timeout", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Longest time one PutRecords call may take before its records are sent again (default: ${DEFAULT-VALUE}).")
    Duration callTimeout;

    @Option(names = "--calls-in-flight", defaultValue = "8", paramLabel = "N",
            description = "PutRecords calls in flight at once per stream (default: ${DEFAULT-VALUE}).")
    int callsInFlight;

    @Option(names = "--lease", defaultValue = "2m", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long a claimed file or line belongs to this instance; after that another instance takes it over. "
                    + "At least twice --put-deadline (default: ${DEFAULT-VALUE}).")
    Duration lease;

    @Option(names = "--ingest-workers", defaultValue = "2", paramLabel = "N", description = "Files ingested at once (default: ${DEFAULT-VALUE}).")
    int ingestWorkers;

    @Option(names = "--batch-lines", defaultValue = "1000", paramLabel = "N", description = "Lines staged per transaction (default: ${DEFAULT-VALUE}).")
    int batchLines;

    @Option(names = "--max-in-flight", defaultValue = "5000", paramLabel = "N", description = "Lines claimed and not yet recorded, at most (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--db-timeout", defaultValue = "5s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Longest wait for a database connection or answer; past it /ingest answers 503 (default: ${DEFAULT-VALUE}).")
    Duration dbTimeout;

    @Option(names = "--instance-id", paramLabel = "ID", description = "This instance's name in the leases (default: host-pid).")
    String instanceId;

    @Option(names = "--s3-endpoint", defaultValue = "${env:AWS_ENDPOINT_URL_S3}", converter = HttpUrlConverter.class, paramLabel = "URL",
            description = "S3 endpoint, path-style (default: $AWS_ENDPOINT_URL_S3, else the region's).")
    URI s3Endpoint;

    @Option(names = "--queue-url", defaultValue = "${env:ADAPTER_QUEUE_URL}", paramLabel = "URL",
            description = "Also take S3 event notifications from this SQS queue (long polling; how the adapter is wired on AWS, "
                    + "where S3 cannot reach a private webhook). Default: $ADAPTER_QUEUE_URL, else none.")
    String queueUrl;

    @Option(names = "--sqs-endpoint", defaultValue = "${env:AWS_ENDPOINT_URL_SQS}", converter = HttpUrlConverter.class, paramLabel = "URL",
            description = "SQS endpoint (default: $AWS_ENDPOINT_URL_SQS, else the region's).")
    URI sqsEndpoint;

    @Mixin
    AwsOptions aws;

    @Mixin
    KinesisEndpointOption.KinesisEndpoint kinesisEndpoint;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicInteger exitCode = new AtomicInteger(2);

    public static void main(String[] args) {
        System.exit(CliConventions.apply(new CommandLine(new AdapterMain())).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        TableRoutes routes;
        try {
            routes = TableRoutes.parse(tables);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--tables: " + e.getMessage());
        }
        if (databaseUrl == null || databaseUrl.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--database-url (or $DATABASE_URL) is required");
        }
        if (lease.compareTo(putDeadline.multipliedBy(2)) < 0) {
            throw new ParameterException(spec.commandLine(), "--lease " + lease.toSeconds() + "s must be at least twice --put-deadline ("
                    + putDeadline.toSeconds() + "s), or a live instance's line could be claimed by another");
        }
        if (ingestWorkers < 1 || batchLines < 1 || maxInFlight < 1 || callsInFlight < 1) {
            throw new ParameterException(spec.commandLine(), "--ingest-workers, --batch-lines, --max-in-flight and --calls-in-flight must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StreamwreckConfig config = StreamwreckConfig.fromEnvironment();
        Optional<String> region = aws.region(config);
        String instance = instanceId != null ? instanceId : InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();

        String jdbcUrl;
        try {
            // The password apart from the URL: on ECS it is a secret, injected from Secrets Manager as DATABASE_PASSWORD.
            jdbcUrl = JdbcUrls.toJdbc(databaseUrl, Optional.ofNullable(System.getenv("DATABASE_PASSWORD")));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try (StagingDatabase db = StagingDatabase.open(jdbcUrl, Math.max(8, ingestWorkers + 6), dbTimeout);
             WriterClient writerClient = WriterClient.create(kinesisEndpoint.endpoint(config), region, Math.max(4, callsInFlight * routes.asMap().size() + 2), b -> { });
             S3Client s3 = s3Client(region);
             SqsClient sqs = queueUrl == null || queueUrl.isBlank() ? null : sqsClient(region)) {
            StagingStore store = new StagingStore(db.dataSource(), instance);
            Ingester ingester = new Ingester(s3, store, new Ingester.Settings(ingestWorkers, batchLines, lease, Duration.ofSeconds(1)));
            KinesisForwarder forwarder = new KinesisForwarder(writerClient.kinesis(), store, new KinesisForwarder.Settings(
                    Math.min(1000, maxInFlight), maxInFlight, lease, Duration.ofMillis(250),
                    stream -> WriterSettings.forStream(stream).deadline(putDeadline).callTimeout(callTimeout)
                            .maxCallsInFlight(callsInFlight).build()));
            AdapterService service = new AdapterService(store, s3, writerClient.kinesis(), routes, Optional.of(maintenanceFlag), ingester, forwarder);
            AdapterHttpServer http = new AdapterHttpServer(bind, port, service, stopRequested::countDown);
            try {
                http.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot listen on " + bind + ":" + port + ": " + e.getMessage(), e);
            }
            Thread hook = new Thread(this::onSignal, "adapter-sigterm");
            Runtime.getRuntime().addShutdownHook(hook);
            service.start();
            QueuePoller queue = sqs == null ? null : new QueuePoller(sqs, queueUrl, service, Duration.ofSeconds(2));
            if (queue != null) {
                queue.start();
            }
            out.println("adapter listening on " + http.uri() + " (instance " + instance + ", tables " + routes + ")");
            out.flush();
            stopRequested.await();
            if (queue != null) {
                queue.close();
            }
            err.println("adapter: draining (at most " + drainTimeout.toSeconds() + " s)");
            err.flush();
            AdapterService.Drained drained = service.drain(drainTimeout);
            http.close();
            int code = drained.complete() ? 0 : 1;
            out.println("summary drained=" + drained.complete() + " staged=" + drained.stillStaged() + " seconds="
                    + String.format(java.util.Locale.ROOT, "%.1f", drained.took().toMillis() / 1000.0)
                    + (drained.complete() ? "" : " (lines stay staged; the next start writes them)"));
            out.flush();
            exitCode.set(code);
            return code;
        } finally {
            stopped.countDown();
        }
    }

    /**
     * SIGTERM: drain as {@code POST /shutdown} does, then exit with the drain's code (a hook cannot return one,
     * so it halts once the main thread has finished).
     */
    private void onSignal() {
        stopRequested.countDown();
        try {
            if (stopped.await(drainTimeout.toMillis() + 45_000, TimeUnit.MILLISECONDS)) {
                System.out.flush();
                Runtime.getRuntime().halt(exitCode.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SqsClient sqsClient(Optional<String> region) {
        // Socket timeout above the 20 s long poll.
        SqsClientBuilder builder = SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30)));
        if (sqsEndpoint != null) {
            builder.endpointOverride(sqsEndpoint);
        }
        region.map(Region::of).ifPresent(builder::region);
        return builder.build();
    }

    private S3Client s3Client(Optional<String> region) {
        S3ClientBuilder builder = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30)))
                .forcePathStyle(true);
        if (s3Endpoint != null) {
            builder.endpointOverride(s3Endpoint);
        }
        region.map(Region::of).ifPresent(builder::region);
        return builder.build();
    }

}
