package io.streamwreck.streamchecker;

import io.streamwreck.core.config.StreamwreckConfig;
import io.streamwreck.ledger.Scope;
import io.streamwreck.core.cli.AwsOptions;
import io.streamwreck.core.cli.CliConventions;
import io.streamwreck.core.cli.DurationConverter;
import io.streamwreck.core.cli.HttpUrlConverter;
import io.streamwreck.core.cli.KinesisEndpointOption;
import io.streamwreck.core.cli.ProgressLine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code java -jar stream-checker.jar --stream NAME [--app NAME] [--endpoint URL | --redis URL]}: scans every
 * shard of the stream and reports, per shard and in total, which records were processed once, more than once
 * or not at all (DESIGN.md "stream-checker"). The report goes to stdout (or {@code --output}); progress and
 * errors to stderr. Exit 0: no drift; 1: drift; 2: usage error or failure, with one {@code error:} line.
 */
@Command(name = "stream-checker.jar", mixinStandardHelpOptions = true, version = "streamwreck stream-checker 0.1.0",
        sortOptions = false, usageHelpWidth = 100, subcommands = MergeCommand.class,
        description = {"Reads every shard of a Kinesis stream (open and closed) from its oldest record up to the tip as it "
                + "was when the scan started, asks the checker how each record was handled by the consumer application, "
                + "and reports per shard and in total: processed once, duplicated, skipped (delivered to the consumer but "
                + "not completed), undelivered (never delivered) and in flight (too recent to judge). KPL-aggregated "
                + "records are judged per user record.",
                "Give the checker either as its HTTP API (--endpoint) or as the ledger's Redis (--redis); both give the same report."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no drift: every record judged was processed exactly once",
                "1:drift: some records were duplicated, skipped or undelivered (listed in the report); pending records (after the "
                        + "consumer's checkpoint: lag) are not drift",
                "2:usage error, or a failure (no such stream, Kinesis, the checker or the ledger unreachable, the checker API "
                        + "refusing the caller: 403)"},
        footerHeading = "%nEnvironment:%n",
        footer = {"STREAM_NAME, APP_NAME, LEASE_TABLE, AWS_ENDPOINT_URL_DYNAMODB, CHECKER_URL (--endpoint), CHECKER_SIGN (--sign), REDIS_URL and REDIS_CLUSTER (--redis), AWS_REGION and "
                + "AWS_ENDPOINT_URL_KINESIS (or AWS_ENDPOINT_URL) give defaults; flags override them. When both CHECKER_URL "
                + "and REDIS_URL are set (as after eval of make up's exports), the checker API is asked and stderr says so; "
                + "--redis URL asks the ledger instead. Credentials come from the AWS SDK's default "
                + "chain (AWS_ACCESS_KEY_ID, profile, role, ...).",
                "%nExamples:%n"
                        + "  java -jar stream-checker.jar --stream orders --app billing --endpoint $CHECKER_URL%n"
                        + "  java -jar stream-checker.jar -s orders -a billing --endpoint https://abc123.execute-api.eu-west-1.amazonaws.com/v1%n"
                        + "  java -jar stream-checker.jar -s orders -a billing --redis $REDIS_URL --format json -o drift.json%n"
                        + "  java -jar stream-checker.jar -s orders --from at-timestamp=2026-11-21T00:00:00Z --settle 5m%n"
                        + "  java -jar stream-checker.jar -s orders -a billing --format html -o report.html%n"
                        + "  java -jar stream-checker.jar -s orders -a billing --shards 1/2 --format json -o part1.json%n"
                        + "  java -jar stream-checker.jar merge part1.json part2.json --format html -o report.html"})
public final class StreamCheckerMain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-s", "--stream"}, defaultValue = "${env:STREAM_NAME}", paramLabel = "NAME",
            description = "The stream to scan (required; default: $STREAM_NAME).")
    String stream;

    @Option(names = {"-a", "--app"}, defaultValue = "${env:APP_NAME}", paramLabel = "NAME",
            description = "The consumer application whose processing is checked (default: $APP_NAME; with --endpoint "
                    + "it may be left out, and the checker uses its own default).")
    String app;

    @Option(names = "--endpoint", defaultValue = "${env:CHECKER_URL}", paramLabel = "URL",
            description = "The checker API's base URL; the scan POSTs to URL/reconcile (default: $CHECKER_URL, which wins "
                    + "over $REDIS_URL when both are set).")
    String endpoint;

    @Option(names = "--sign", negatable = true, defaultValue = "${env:CHECKER_SIGN}", fallbackValue = "true",
            description = "Sign the checker API requests with SigV4 for execute-api (API Gateway with IAM authorisation), with "
                    + "the AWS SDK's default credentials, in the endpoint's region (from an execute-api host, else --region). "
                    + "Default: $CHECKER_SIGN, else on for https:// endpoints and off for http:// ones (make up's); --no-sign "
                    + "turns it off.")
    Boolean sign;

    @Option(names = "--redis", defaultValue = "${env:REDIS_URL}", paramLabel = "URL",
            description = "Ask the ledger directly: redis:// or rediss:// URL of its Redis (default: $REDIS_URL, when "
                    + "$CHECKER_URL is not set). Not together with --endpoint.")
    String redis;

    @Option(names = "--redis-cluster", defaultValue = "${env:REDIS_CLUSTER:-false}", paramLabel = "BOOL", arity = "0..1",
            fallbackValue = "true",
            description = "The --redis URL is a Redis Cluster node (default: $REDIS_CLUSTER, else false).")
    boolean redisCluster;

    @Option(names = "--lease-table", defaultValue = "${env:LEASE_TABLE}", paramLabel = "NAME|none",
            description = "The consumer's KCL lease table (DynamoDB), read once per scan for its checkpoints: records after "
                    + "a shard's checkpoint are pending (lag, not drift), records at or before it that were never delivered "
                    + "are undelivered. Default: $LEASE_TABLE, else the application's name (KCL names the table after it). "
                    + "none: a consumer without one (a Lambda event source mapping), judged by --settle alone.")
    String leaseTable;

    @Option(names = "--dynamodb-endpoint", defaultValue = "${env:AWS_ENDPOINT_URL_DYNAMODB}", paramLabel = "URL",
            converter = HttpUrlConverter.class,
            description = "DynamoDB endpoint for the lease table (default: $AWS_ENDPOINT_URL_DYNAMODB, else AWS's for the region).")
    URI dynamoDbEndpoint;

    @Option(names = "--from", defaultValue = "trim-horizon", paramLabel = "POSITION",
            description = "Where each shard's scan starts: trim-horizon (the oldest record kept) or "
                    + "at-timestamp=<ISO-8601 instant> (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--settle", defaultValue = "60s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Records that arrived within this window before the scan started are in flight: counted, not "
                    + "judged. Set it to your consumer's usual lag, e.g. 0s, 30s, 5m (default: ${DEFAULT-VALUE}).")
    Duration settle;

    @Option(names = "--batch", defaultValue = "" + ScanSettings.DEFAULT_BATCH, paramLabel = "N",
            description = "Keys per checker request, 1 to " + ScanSettings.MAX_BATCH + " (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--parallel", defaultValue = "32", paramLabel = "N",
            description = "Shards read at once, 1 to 256; each reader keeps to Kinesis' 5 GetRecords calls per second "
                    + "per shard (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json|html",
            description = "Report format: text (a table, the buckets of time with drift and the first drifted keys), json "
                    + "(everything) or html (one self-contained page: verdict, heatmap of drift by shard and time, tables, "
                    + "the drifted keys with a filter, the JSON embedded) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--bucket", defaultValue = "auto", paramLabel = "auto|DURATION", converter = BucketSize.Converter.class,
            description = "Width of the report's buckets of arrival time: auto (fits the span into about "
                    + BucketSize.TARGET_COLUMNS + " buckets) or a whole number of seconds such as 1m, 10m, 1h "
                    + "(default: ${DEFAULT-VALUE}).")
    BucketSize bucket;

    @Option(names = "--shards", defaultValue = "1/1", paramLabel = "i/N", converter = ShardPart.Converter.class,
            description = "Scan part i of N of the shards (the same shards on every run: by shard number modulo N), to "
                    + "split a large stream across N machines; join their JSON reports with merge (default: all shards).")
    ShardPart shards;

    @Option(names = "--show", defaultValue = "20", paramLabel = "N",
            description = "Drifted keys listed in the text report (default: ${DEFAULT-VALUE}; json lists all).")
    int show;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
    Path output;

    @Mixin
    KinesisEndpointOption.KinesisEndpoint kinesisEndpoint;

    @Mixin
    AwsOptions aws;

    @Option(names = "--progress", description = "Show progress on stderr even when it is not a terminal.")
    boolean progress;

    @Option(names = "--adapter-db", defaultValue = "${env:ADAPTER_DATABASE_URL}", paramLabel = "JDBC_URL",
            description = "The adapter's staging database (jdbc:postgresql://…): adds the writer's classes — unwritten, "
                    + "written-twice — and the source file and line of each drifted record the adapter wrote (default: $ADAPTER_DATABASE_URL).")
    String adapterDb;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with streamwreck's error conventions: one {@code error: …} line and exit 2 for bad input or failure. */
    public static CommandLine commandLine() {
        return CliConventions.apply(new CommandLine(new StreamCheckerMain()));
    }

    /** Which checker the scan asks; {@code signingRegion} set when its requests are signed. */
    private record Checker(URI endpoint, String signingRegion, String redisUrl) {
    }

    @Override
    public Integer call() throws Exception {
        ScanSettings settings = settings();
        StreamwreckConfig config = StreamwreckConfig.fromEnvironment();
        Checker checker = checker(settings, config);
        ReportFormat reportFormat = ReportFormat.parse(format).orElseThrow();
        if (output != null) {
            requireWritable(output);
        }
        Optional<URI> kinesisAt = kinesisEndpoint.endpoint(config);
        Optional<String> kinesisRegion = aws.region(config);

        ScanReport report;
        try (KinesisCalls kinesis = KinesisCalls.create(kinesisAt, kinesisRegion, settings.parallelShards() + 2);
             KeyClassifier classifier = classifier(checker, settings, config);
             ScanProgress display = progress || ProgressLine.stderrIsTerminal() ? ScanProgress.shownOn(System.err) : ScanProgress.quiet()) {
            report = new StreamScan(kinesis, classifier, leaseCheckpoints(settings, config, kinesisRegion), settings, display,
                    shards, bucket).run();
        }
        WriterAccount writer = blank(adapterDb) ? null : WriterAccount.load(adapterDb.trim(), report.stream(),
                report.scanStart().minus(report.settle()), report.drifted().stream().map(d -> d.key().toString()).toList(), show);
        reportFormat.write(report, writer, show, output, spec.commandLine().getOut());
        return report.drift() || (writer != null && writer.drift()) ? 1 : 0;
    }

    private LeaseCheckpoints leaseCheckpoints(ScanSettings settings, StreamwreckConfig config, Optional<String> region) {
        String table = blank(leaseTable) ? settings.application() : leaseTable.trim();
        if (table == null) {
            return LeaseCheckpoints.none("no --app, so no lease table to read: the checker's own judgement (its Pending) only");
        }
        if (table.equalsIgnoreCase("none")) {
            return LeaseCheckpoints.NONE;
        }
        Optional<URI> endpoint = Optional.ofNullable(dynamoDbEndpoint).or(() -> config.endpoint(StreamwreckConfig.Service.DYNAMODB));
        return LeaseCheckpoints.of(table, settings.stream(), endpoint, region);
    }

    private KeyClassifier classifier(Checker checker, ScanSettings settings, StreamwreckConfig config) {
        if (checker.endpoint() != null) {
            ExecuteApiSigner signer = checker.signingRegion() == null ? null : ExecuteApiSigner.withDefaultCredentials(checker.signingRegion());
            return new CheckerApiClassifier(checker.endpoint(), settings.stream(), settings.application(), signer);
        }
        return LedgerClassifier.connect(checker.redisUrl(), redisCluster, config.ledgerTtl(),
                new Scope(settings.stream(), settings.application()));
    }

    /** Checks the options; bad values are usage errors (exit 2). */
    private ScanSettings settings() {
        CommandLine cli = spec.commandLine();
        if (blank(stream)) {
            throw new ParameterException(cli, "missing --stream (or environment variable STREAM_NAME)");
        }
        String application = blank(app) ? null : app.trim();
        try {
            new Scope(stream.trim(), application == null ? "-" : application);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cli, (e.getMessage().contains("stream") ? "--stream: " : "--app: ") + e.getMessage());
        }
        StartPosition start;
        try {
            start = StartPosition.parse(from);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cli, "--from: " + e.getMessage());
        }
        if (batch < 1 || batch > ScanSettings.MAX_BATCH) {
            throw new ParameterException(cli, "--batch must be 1 to " + ScanSettings.MAX_BATCH
                    + " (the checker's limit per request), was " + batch);
        }
        if (parallel < 1 || parallel > 256) {
            throw new ParameterException(cli, "--parallel must be 1 to 256, was " + parallel);
        }
        if (ReportFormat.parse(format).isEmpty()) {
            throw new ParameterException(cli, "--format must be text or json, was \"" + format + "\", or html (the page)");
        }
        if (show < 0) {
            throw new ParameterException(cli, "--show must be 0 or more, was " + show);
        }
        return new ScanSettings(stream.trim(), application, start, settle, batch, parallel);
    }

    /**
     * Exactly one of --endpoint and --redis. A flag on the command line wins over the other's environment
     * variable; both flags together are a usage error. From the environment alone with both CHECKER_URL and
     * REDIS_URL set (what {@code make up} exports), the checker API is used — the same answer as the ledger, over the
     * interface a deployment exposes — and one line on stderr says so and how to choose the ledger.
     */
    private Checker checker(ScanSettings settings, StreamwreckConfig config) {
        CommandLine cli = spec.commandLine();
        boolean endpointFlag = cli.getParseResult().hasMatchedOption("--endpoint");
        boolean redisFlag = cli.getParseResult().hasMatchedOption("--redis");
        if (endpointFlag && redisFlag) {
            throw new ParameterException(cli, "give either --endpoint or --redis, not both");
        }
        boolean useEndpoint;
        if (endpointFlag || redisFlag) {
            useEndpoint = endpointFlag;
        } else if (!blank(endpoint) && !blank(redis)) {
            cli.getErr().println("using the checker API at " + endpoint.trim() + " (CHECKER_URL); REDIS_URL is set too: "
                    + "--redis URL asks the ledger instead");
            cli.getErr().flush();
            useEndpoint = true;
        } else if (blank(endpoint) && blank(redis)) {
            throw new ParameterException(cli, "missing --endpoint URL (the checker API, or CHECKER_URL) or --redis URL "
                    + "(the ledger, or REDIS_URL)");
        } else {
            useEndpoint = !blank(endpoint);
        }
        if (useEndpoint) {
            if (blank(endpoint)) {
                throw new ParameterException(cli, "--endpoint needs a URL");
            }
            URI uri;
            try {
                uri = new URI(endpoint.trim());
            } catch (URISyntaxException e) {
                throw new ParameterException(cli, "--endpoint must be an http:// or https:// URL, was \"" + endpoint + "\"");
            }
            if (!HttpUrlConverter.isHttpUrl(uri)) {
                throw new ParameterException(cli, "--endpoint must be an http:// or https:// URL, was \"" + endpoint + "\"");
            }
            return new Checker(uri, signingRegion(uri, config), null);
        }
        if (cli.getParseResult().hasMatchedOption("--sign")) {
            throw new ParameterException(cli, "--sign and --no-sign apply to the checker API (--endpoint), not to --redis");
        }
        String url = redis == null ? "" : redis.trim();
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("redis://") && !lower.startsWith("rediss://")) {
            // Never echo the URL: it may carry an AUTH token.
            throw new ParameterException(cli, "--redis must be a redis:// or rediss:// URL");
        }
        if (settings.application() == null) {
            throw new ParameterException(cli, "missing --app (or environment variable APP_NAME): the ledger keeps one record set "
                    + "per consumer application");
        }
        return new Checker(null, null, url);
    }

    /**
     * The region to sign in when requests to {@code uri} are signed, else null. On unless turned off for https
     * (API Gateway), off unless turned on for http (the local stand-in, open unless started with signatures
     * required). The region of an execute-api host is the API's, whatever --region says; otherwise --region.
     */
    private String signingRegion(URI uri, StreamwreckConfig config) {
        boolean signed = sign != null ? sign : "https".equalsIgnoreCase(uri.getScheme());
        if (!signed) {
            return null;
        }
        Optional<String> region = ExecuteApiSigner.regionOf(uri).or(() -> aws.region(config));
        if (region.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "signing the requests to " + uri + " needs the API's region: "
                    + "give --region (or AWS_REGION), or --no-sign for an API without IAM authorisation");
        }
        return region.get();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Fails before the scan, not after it, when the report could not be written. */
    private void requireWritable(Path file) {
        requireWritable(spec.commandLine(), file);
    }

    /** A usage error when {@code file} could not be written (no such directory, not writable, a directory). */
    static void requireWritable(CommandLine cli, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new ParameterException(cli, "--output: cannot write " + file + " (no such directory, or not writable)");
        }
        if (Files.isDirectory(file)) {
            throw new ParameterException(cli, "--output: " + file + " is a directory");
        }
    }
}
