package io.streamwreck.streamchecker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamwreck.core.RecordKey;
import io.streamwreck.core.kpl.KplAggregate;
import io.streamwreck.core.notice.DeliveredBatch;
import io.streamwreck.core.notice.Notice;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.bench.PairedRounds;
import io.streamwreck.local.bench.Spread;
import io.streamwreck.local.lambda.ApiGatewayServer;
import io.streamwreck.local.standin.LocalStack;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code bench/stream-checker.sh}: records per second of a full scan ({@code --redis}, in this JVM) of a 4-shard
 * stream holding 200,000 records, against a raw GetRecords loop over the same shards in the same run — the same
 * client, one thread per shard, 10,000 records per call, each shard read until MillisBehindLatest is 0 — as the
 * median ratio of paired rounds with its min and max ({@link PairedRounds}: both sides back to back, the first
 * alternating). Also one figure through the checker API ({@code --endpoint}),
 * and the same comparison on a smaller stream of plain records. Prints a Markdown section on stdout ending in the
 * {@code RESULT} line; progress on stderr.
 *
 * <p>The 200,000 records are user records, ten per KPL-aggregated Kinesis record: kinesis-local's PutRecords
 * re-hashes a shard's whole record list for every record it adds, so filling a shard is quadratic — at 40,000
 * plain records per shard one 500-record call took over 30 s — and a stream of 200,000 plain Kinesis records
 * cannot be written in the time a benchmark has. Both sides read the very same Kinesis records; the raw loop's
 * rate is given in the same user records (what it delivered per second), so the ratio is the ratio of the times.
 *
 * <p>Usage: {@code StreamCheckerBenchmark [records] [shards] [rounds] [plain records]} (default 200,000, 4, 7, 40,000).
 */
public final class StreamCheckerBenchmark {

    private static final int RECORDS_PER_NOTICE = 1_000;
    private static final int DATA_BYTES = 100;
    private static final Path CHECKER_JAR = Path.of("../checker-lambda/target/checker-lambda.jar");

    private static final String APP = "bench-billing";
    private static final int USER_RECORDS_PER_AGGREGATE = 10;

    private final LocalStack stack;
    private final KinesisClient kinesis;

    /** One filled stream and what the ledger was told about it. */
    private static final class Dataset {
        final String stream;
        final int userRecords;
        final int perKinesisRecord;
        long skipped;
        long duplicated;
        long undelivered;

        Dataset(String stream, int userRecords, int perKinesisRecord) {
            this.stream = stream;
            this.userRecords = userRecords;
            this.perKinesisRecord = perKinesisRecord;
        }

        int kinesisRecords() {
            return userRecords / perKinesisRecord;
        }
    }

    private StreamCheckerBenchmark(LocalStack stack, KinesisClient kinesis) {
        this.stack = stack;
        this.kinesis = kinesis;
    }

    public static void main(String[] args) {
        int status = 1;
        try {
            run(args);
            status = 0;
        } catch (Exception e) {
            System.err.println("bench: the stream-checker benchmark failed: " + e);
            e.printStackTrace();
        }
        // Exit even if a library left a non-daemon thread running; the stack's shutdown hook stops its servers.
        System.exit(status);
    }

    private static void run(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int shards = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        int plainRecords = args.length > 3 ? Integer.parseInt(args[3]) : 40_000;
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        try (LocalStack stack = LocalStack.start(Path.of("target/stream-checker-bench"));
             KinesisClient kinesis = rawClient(stack, shards)) {
            StreamCheckerBenchmark bench = new StreamCheckerBenchmark(stack, kinesis);
            Dataset aggregated = bench.prepare("bench-scan", shards, records / shards * shards, USER_RECORDS_PER_AGGREGATE);
            Dataset plain = bench.prepare("bench-scan-plain", shards, plainRecords / shards * shards, 1);
            bench.measure(aggregated, plain, shards, rounds);
        }
    }

    private Dataset prepare(String stream, int shards, int userRecords, int perKinesisRecord) throws Exception {
        stack.createStream(stream, shards);
        Dataset data = new Dataset(stream, userRecords, perKinesisRecord);
        recordNotices(data, fill(data, shards));
        return data;
    }

    /** The raw loop's client: what the scan uses (Apache, a connection per shard, no SDK retries). */
    private static KinesisClient rawClient(LocalStack stack, int shards) {
        return KinesisClient.builder()
                .endpointOverride(stack.endpoints().kinesis())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(shards + 2)
                        .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(120)))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /**
     * Writes the user records evenly to every shard, the shards in parallel, 500 Kinesis records per PutRecords
     * call: plain records, or KPL aggregates of {@code perKinesisRecord} user records each.
     */
    private List<List<RecordKey>> fill(Dataset data, int shardCount) throws Exception {
        long began = System.nanoTime();
        List<Shard> shards = kinesis.listShards(b -> b.streamName(data.stream)).shards();
        ExecutorService writers = Executors.newFixedThreadPool(shardCount);
        List<Future<List<RecordKey>>> futures = new ArrayList<>();
        for (Shard shard : shards) {
            futures.add(writers.submit(() -> fillShard(data, shard, data.kinesisRecords() / shardCount)));
        }
        List<List<RecordKey>> written = new ArrayList<>();
        for (Future<List<RecordKey>> f : futures) {
            written.add(f.get());
        }
        writers.shutdown();
        progress("wrote %,d user records (%,d Kinesis records) to %d shards of %s in %.1f s", data.userRecords,
                data.kinesisRecords(), shardCount, data.stream, (System.nanoTime() - began) / 1e9);
        return written;
    }

    /** The keys of the user records written, in stream order. */
    private List<RecordKey> fillShard(Dataset data, Shard shard, int kinesisRecords) {
        String hashKey = shard.hashKeyRange().startingHashKey();
        byte[] userRecord = new byte[DATA_BYTES];
        SdkBytes payload = SdkBytes.fromByteArray(data.perKinesisRecord == 1 ? userRecord
                : KplAggregate.encode("k", java.util.Collections.nCopies(data.perKinesisRecord, userRecord)));
        List<RecordKey> keys = new ArrayList<>(kinesisRecords * data.perKinesisRecord);
        int written = 0;
        while (written < kinesisRecords) {
            int n = Math.min(500, kinesisRecords - written);
            List<PutRecordsRequestEntry> entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                entries.add(PutRecordsRequestEntry.builder().partitionKey("k").explicitHashKey(hashKey).data(payload).build());
            }
            for (PutRecordsResultEntry r : kinesis.putRecords(b -> b.streamName(data.stream).records(entries)).records()) {
                if (r.errorCode() != null) {
                    throw new IllegalStateException("kinesis-local refused a record: " + r.errorCode() + " " + r.errorMessage());
                }
                if (data.perKinesisRecord == 1) {
                    keys.add(RecordKey.of(r.shardId(), r.sequenceNumber()));
                } else {
                    for (int sub = 0; sub < data.perKinesisRecord; sub++) {
                        keys.add(RecordKey.of(r.shardId(), r.sequenceNumber(), sub));
                    }
                }
            }
            written += n;
        }
        return keys;
    }

    /**
     * Notices of 1,000 delivered records, as a processor would publish them: one in 200 not completed (skipped),
     * one in 250 processed twice (a second notice), the last 1% of each shard never delivered.
     */
    private void recordNotices(Dataset data, List<List<RecordKey>> written) {
        long began = System.nanoTime();
        try (RedisLedger ledger = RedisLedger.connect(stack.endpoints().redis().toString(), false, Duration.ofHours(2))) {
            for (List<RecordKey> keys : written) {
                // Whole Kinesis records: a batch KCL delivers never ends inside an aggregate.
                int delivered = (keys.size() - keys.size() / 100) / data.perKinesisRecord * data.perKinesisRecord;
                data.undelivered += keys.size() - delivered;
                for (int from = 0; from < delivered; from += RECORDS_PER_NOTICE) {
                    List<RecordKey> batch = keys.subList(from, Math.min(delivered, from + RECORDS_PER_NOTICE));
                    Scope scope = new Scope(data.stream, APP);
                    List<RecordKey> processed = new ArrayList<>(batch.size());
                    List<RecordKey> twice = new ArrayList<>();
                    for (int i = 0; i < batch.size(); i++) {
                        int n = from + i;
                        if (n % 200 == 7) {
                            data.skipped++;
                        } else {
                            processed.add(batch.get(i));
                            if (n % 250 == 3) {
                                twice.add(batch.get(i));
                                data.duplicated++;
                            }
                        }
                    }
                    ledger.record(notice(scope, batch, processed));
                    ledger.record(notice(scope, batch, twice));
                }
            }
        }
        progress("recorded the notices in %.1f s", (System.nanoTime() - began) / 1e9);
    }

    private static Notice notice(Scope scope, List<RecordKey> batch, List<RecordKey> processed) {
        RecordKey first = batch.get(0);
        RecordKey last = batch.get(batch.size() - 1);
        return new Notice(Notice.VERSION, UUID.randomUUID().toString(), scope.stream(), scope.app(), first.shardId(),
                "bench-worker", new DeliveredBatch(first.sequenceNumber(), last.sequenceNumber(), batch.size()),
                processed, Instant.now());
    }

    /** Seconds for one raw pass: ListShards, then every shard from TRIM_HORIZON until caught up, in parallel. */
    private double rawRound(Dataset data) throws Exception {
        String stream = data.stream;
        long began = System.nanoTime();
        List<Shard> shards = kinesis.listShards(b -> b.streamName(stream)).shards();
        ExecutorService readers = Executors.newFixedThreadPool(shards.size());
        List<Future<Long>> counts = new ArrayList<>();
        for (Shard shard : shards) {
            counts.add(readers.submit(() -> {
                String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                long n = 0;
                while (iterator != null) {
                    String it = iterator;
                    GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(it).limit(10_000));
                    n += page.records().size();
                    if (page.millisBehindLatest() != null && page.millisBehindLatest() == 0) {
                        break;
                    }
                    iterator = page.nextShardIterator();
                }
                return n;
            }));
        }
        long total = 0;
        for (Future<Long> c : counts) {
            total += c.get();
        }
        readers.shutdown();
        double seconds = (System.nanoTime() - began) / 1e9;
        if (total != data.kinesisRecords()) {
            throw new IllegalStateException("the raw loop read " + total + " records, expected " + data.kinesisRecords());
        }
        return seconds;
    }

    /** One full scan through the command; its report's Seconds (listing, reading and checking), checked for exact counts. */
    private double scanRound(Dataset data, String... mode) throws Exception {
        int expected = data.userRecords;
        long skipped = data.skipped;
        long duplicated = data.duplicated;
        long undelivered = data.undelivered;
        List<String> args = new ArrayList<>(List.of("--kinesis-endpoint", stack.endpoints().kinesis().toString(), "--region",
                "us-east-1", "--stream", data.stream, "--app", APP, "--settle", "0s", "--format", "json"));
        args.addAll(List.of(mode));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = StreamCheckerMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args.toArray(String[]::new));
        if (code != 1) {
            throw new IllegalStateException("the scan exited " + code + " (expected 1, drift): " + err);
        }
        JsonNode report = new ObjectMapper().readTree(out.toString());
        JsonNode total = report.get("Total");
        if (total.get("Scanned").asLong() != expected || total.get("Skipped").asLong() != skipped
                || total.get("Duplicated").asLong() != duplicated || total.get("Undelivered").asLong() != undelivered) {
            throw new IllegalStateException("the scan's counts are wrong: " + total + "; expected " + expected + " scanned, "
                    + skipped + " skipped, " + duplicated + " duplicated, " + undelivered + " undelivered");
        }
        return report.get("Seconds").asDouble();
    }

    /** Paired rounds of the raw loop (baseline) and the scan (subject) on one stream, after one warm-up round of each. */
    private PairedRounds compare(Dataset data, int rounds) throws Exception {
        String redis = stack.endpoints().redis().toString();
        return PairedRounds.measure(data.stream, 1, rounds,
                () -> data.userRecords / rawRound(data), () -> data.userRecords / scanRound(data, "--redis", redis));
    }

    private void measure(Dataset aggregated, Dataset plain, int shards, int rounds) throws Exception {
        int plainRounds = Math.max(3, rounds / 2);
        PairedRounds main = compare(aggregated, rounds);
        PairedRounds plainPairs = compare(plain, plainRounds);
        Spread api = null;
        if (CHECKER_JAR.toFile().isFile()) {
            try (ApiGatewayServer checker = ApiGatewayServer.fromDeploymentPackage("checker-lambda", CHECKER_JAR,
                    "io.streamwreck.checker.CheckerHandler::handleRequest",
                    Map.of("REDIS_URL", stack.endpoints().redis().toString())).start(0)) {
                scanRound(aggregated, "--endpoint", checker.url().toString());
                double[] rates = new double[Math.max(3, rounds / 2)];
                for (int r = 0; r < rates.length; r++) {
                    rates[r] = aggregated.userRecords / scanRound(aggregated, "--endpoint", checker.url().toString());
                }
                api = Spread.of(rates);
            }
            progress("through the checker API: %s records/s", api.text("%,.0f"));
        }

        System.out.printf(Locale.ROOT, "`%s`: %,d user records of %d bytes in %d shards of kinesis-local, %d per KPL-aggregated "
                        + "Kinesis record (%,d Kinesis records, %,d per shard); `%s`: %,d plain records (%,d per shard). Why "
                        + "aggregated: kinesis-local's PutRecords re-hashes a shard's whole record list for every record it adds, "
                        + "so filling is quadratic — with 200,000 plain records one 500-record call passed 30 s at about 40,000 "
                        + "records per shard. Both streams were written before the run; the ledger knows them through notices of "
                        + "1,000 user records (0.5%% skipped, 0.4%% duplicated, 1%% undelivered).%n%n"
                        + "Raw (baseline): ListShards, then per shard (in parallel, one thread each) GetShardIterator TRIM_HORIZON and "
                        + "GetRecords of 10,000 until MillisBehindLatest is 0, counting Kinesis records — no pacing, no keys, no "
                        + "checker; its rate is given in user records (the same content per second). Scan (subject): the whole command in "
                        + "this JVM (`--redis`, `--settle 0s`, `--format json`): ListShards, paced GetRecords (≤ 5 calls/s per "
                        + "shard), KPL check and de-aggregation, a key per user record, batches of 10,000 classified by the ledger "
                        + "while reading goes on, the JSON report; its exact counts are checked every round. One warm-up round of "
                        + "each, then %d paired rounds (aggregated) and %d (plain), both sides back to back, the side that goes "
                        + "first alternating; the ratio is the median of the rounds' ratios.%n%n",
                aggregated.stream, aggregated.userRecords, DATA_BYTES, shards, aggregated.perKinesisRecord, aggregated.kinesisRecords(),
                aggregated.kinesisRecords() / shards, plain.stream, plain.userRecords, plain.userRecords / shards, rounds, plainRounds);
        System.out.printf(Locale.ROOT, "`%s`:%n%n", aggregated.stream);
        System.out.print(main.table("raw GetRecords loop records/s", "stream-checker scan records/s"));
        System.out.printf(Locale.ROOT, "%n`%s`:%n%n", plain.stream);
        System.out.print(plainPairs.table("raw GetRecords loop records/s", "stream-checker scan records/s"));
        System.out.printf(Locale.ROOT, "%nMedian ratio on `%s`: **%.2f** (min %.2f, max %.2f; target ≥ 0.9); plain records: %.2f (%.2f–%.2f).%s%n%n",
                aggregated.stream, main.ratio().median(), main.ratio().min(), main.ratio().max(),
                plainPairs.ratio().median(), plainPairs.ratio().min(), plainPairs.ratio().max(),
                api != null ? String.format(Locale.ROOT, " Through the checker API (`--endpoint`, the Lambda from its "
                        + "deployment jar behind the local API Gateway, on `%s`), median of %d (min–max): %s records/s.",
                        aggregated.stream, api.n(), api.text("%,.0f")) : "");
        System.out.println("```");
        System.out.printf(Locale.ROOT, "RESULT stream-checker-scan %s records_per_s=%.0f raw_records_per_s=%.0f target=0.9%n",
                main.resultFields(), main.subject().median(), main.baseline().median());
        System.out.println("```");
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "bench: " + format + "%n", args);
    }
}
