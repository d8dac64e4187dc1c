package io.streamwreck.producer.cli;

import io.streamwreck.core.config.StreamwreckConfig;
import io.streamwreck.producer.KinesisLimits;
import io.streamwreck.producer.KinesisWriter;
import io.streamwreck.producer.WriterSettings;
import io.streamwreck.producer.WriterClient;
import io.streamwreck.producer.WriterStats;
import io.streamwreck.core.cli.AwsOptions;
import io.streamwreck.core.cli.CliConventions;
import io.streamwreck.core.cli.DurationConverter;
import io.streamwreck.core.cli.KinesisEndpointOption;
import io.streamwreck.core.cli.ProgressLine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar producer.jar --stream S --count N --rate R --size B [--partition-keys K] [--written-log FILE]}:
 * a load generator on top of {@link KinesisWriter}. Progress goes to stderr (a progress bar when stderr is a
 * terminal, or with {@code --progress}); the summary goes to stdout.
 */
@Command(name = "producer.jar", mixinStandardHelpOptions = true, version = "streamwreck producer 0.1.0",
        sortOptions = false,
        description = {"Writes generated records to a Kinesis stream through streamwreck's at-least-once writer "
                + "(batched PutRecords, retries of failed entries only, a deadline per record) and reports how many "
                + "were written, retried and failed.",
                "Record n has the id <run>-<n>; its data starts with the id."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every record was written", "1:some records were not written (the reasons are on stderr)",
                "2:usage error, or a failure before or around writing (no such stream, endpoint unreachable, written log not writable)"},
        footerHeading = "%nEnvironment:%n",
        footer = {"STREAM_NAME, AWS_REGION, AWS_ENDPOINT_URL_KINESIS (or AWS_ENDPOINT_URL) give defaults; credentials come "
                + "from the AWS SDK's default chain (AWS_ACCESS_KEY_ID, profile, role, …).",
                "Summary line on stdout: summary stream=S records=N written=W retried=R failed=F seconds=T records_per_s=X "
                + "(retried counts entries sent again)."})
public final class ProducerMain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-s", "--stream"}, defaultValue = "${env:STREAM_NAME}", paramLabel = "NAME",
            description = "The stream to write to (default: $STREAM_NAME).")
    String stream;

    @Option(names = {"-n", "--count"}, required = true, paramLabel = "N", description = "How many records to write.")
    long count;

    @Option(names = {"-r", "--rate"}, defaultValue = "1000", paramLabel = "R",
            description = "Records per second to generate, over all shards; 0 = as fast as the writer accepts them (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = {"-b", "--size"}, defaultValue = "100", paramLabel = "B",
            description = "Bytes of data per record (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = {"-k", "--partition-keys"}, defaultValue = "0", paramLabel = "K",
            description = "Distinct partition keys pk-0 … pk-(K-1), used in turn; 0 = each record its own key, its id (default).")
    int partitionKeys;

    @Option(names = "--written-log", paramLabel = "FILE",
            description = "Write one line per written record: <record id> TAB <shardId>:<sequenceNumber>.")
    Path writtenLog;

    @Mixin
    KinesisEndpointOption.Endpoint endpoint;

    @Mixin
    AwsOptions aws;

    @Option(names = "--deadline", defaultValue = "30s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a record may take to be written before it counts as failed, e.g. 500ms, 30s, 2m (default: ${DEFAULT-VALUE}).")
    Duration deadline;

    @Option(names = "--shard-rate", defaultValue = "1000", paramLabel = "R",
            description = "Most records per second sent to one shard, in any one-second window (default: ${DEFAULT-VALUE}, Kinesis's limit).")
    double shardRate;

    @Option(names = "--calls", defaultValue = "8", paramLabel = "N",
            description = "PutRecords calls in flight at once (default: ${DEFAULT-VALUE}).")
    int calls;

    @Option(names = "--progress", description = "Show the progress bar even when stderr is not a terminal.")
    boolean progress;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with streamwreck's error conventions: one {@code error: …} line and exit 2 for bad input or failure. */
    public static CommandLine commandLine() {
        return CliConventions.apply(new CommandLine(new ProducerMain()));
    }

    @Override
    public Integer call() throws Exception {
        WriterSettings settings = settings();
        StreamwreckConfig config = StreamwreckConfig.fromEnvironment();
        Optional<URI> kinesisEndpoint = endpoint.endpoint(config);
        Optional<String> kinesisRegion = aws.region(config);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadGenerator generator = new LoadGenerator(UUID.randomUUID().toString().substring(0, 8), size, partitionKeys);
        Pacer pacer = new Pacer(rate);
        FailureTally failures = new FailureTally();

        try (WriterClient client = WriterClient.create(kinesisEndpoint, kinesisRegion, calls, b -> { })) {
            long began = System.nanoTime();
            WriterStats stats;
            KinesisWriter writer = KinesisWriter.start(client.kinesis(), settings);
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "progress");
                t.setDaemon(true);
                return t;
            });
            try (ProgressLine display = ProgressLine.create(progress || ProgressLine.stderrIsTerminal(), System.err, "writing", count)) {
                ticker.scheduleAtFixedRate(() -> {
                    showProgress(display, writer.stats());
                }, 250, 250, TimeUnit.MILLISECONDS);
                try {
                    for (long n = 1; n <= count; n++) {
                        pacer.awaitTurn(n - 1);
                        writer.write(generator.record(n)).whenComplete((result, failure) -> {
                            if (failure != null) {
                                failures.add(failure);
                            }
                        });
                    }
                } finally {
                    // Waits for every record accepted so far: each is written or fails by its deadline.
                    writer.close();
                }
                stats = writer.stats();
                showProgress(display, stats);
            } finally {
                ticker.shutdownNow();
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            failures.print(err, 5);
            out.printf(Locale.ROOT, "summary stream=%s records=%d written=%d retried=%d failed=%d seconds=%.3f records_per_s=%.0f%n",
                    settings.streamName(), count, stats.written(), stats.retried(), stats.failed(), seconds,
                    stats.written() / Math.max(seconds, 1e-9));
            out.flush();
            return stats.written() == count && stats.failed() == 0 ? 0 : 1;
        }
    }

    /** Records finished (written or failed), then how many were retried and failed. */
    private static void showProgress(ProgressLine display, WriterStats s) {
        display.update(s.written() + s.failed(), " retried " + s.retried() + " failed " + s.failed());
    }

    /** Checks the options and turns them into writer settings; bad values are usage errors (exit 2). */
    private WriterSettings settings() {
        CommandLine cli = spec.commandLine();
        if (stream == null || stream.isBlank()) {
            throw new ParameterException(cli, "missing --stream (or environment variable STREAM_NAME)");
        }
        if (count < 1) {
            throw new ParameterException(cli, "--count must be at least 1, was " + count);
        }
        if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new ParameterException(cli, "--rate must be 0 (as fast as possible) or positive, was " + rate);
        }
        int maxData = KinesisLimits.MAX_RECORD_BYTES - partitionKeyBytesAtMost();
        if (size < 0 || size > maxData) {
            throw new ParameterException(cli, "--size must be 0 to " + maxData + " bytes (1 MiB less the partition key), was " + size);
        }
        if (partitionKeys < 0) {
            throw new ParameterException(cli, "--partition-keys must be 0 (one per record) or more, was " + partitionKeys);
        }
        if (!(shardRate > 0) || Double.isInfinite(shardRate)) {
            throw new ParameterException(cli, "--shard-rate must be positive, was " + shardRate);
        }
        if (calls < 1 || calls > 256) {
            throw new ParameterException(cli, "--calls must be 1 to 256, was " + calls);
        }
        if (deadline.isZero()) {
            throw new ParameterException(cli, "--deadline must be positive");
        }
        WriterSettings.Builder builder = WriterSettings.forStream(stream.trim())
                .deadline(deadline)
                .recordsPerSecondPerShard(shardRate)
                .maxCallsInFlight(calls);
        if (writtenLog != null) {
            builder.writtenLog(writtenLog);
        }
        return builder.build();
    }

    /** The longest partition key the generator makes, in bytes: a record id or {@code pk-<K-1>}. */
    private int partitionKeyBytesAtMost() {
        return partitionKeys == 0 ? ("xxxxxxxx-" + Math.max(count, 1)).length() : ("pk-" + (partitionKeys - 1)).length();
    }
}
