package io.streamwreck.adapter.bench;

import io.streamwreck.adapter.forward.KinesisForwarder;
import io.streamwreck.adapter.ingest.Ingester;
import io.streamwreck.adapter.staging.StagingDatabase;
import io.streamwreck.adapter.staging.StagingStore;
import io.streamwreck.local.bench.PairedRounds;
import io.streamwreck.local.standin.AwsClients;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.producer.KinesisWriter;
import io.streamwreck.producer.OutgoingRecord;
import io.streamwreck.producer.WriterClient;
import io.streamwreck.producer.WriterSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * {@code RESULT adapter-throughput}: lines from S3 objects to acknowledged Kinesis records through the adapter's
 * pipeline (register, ingest from S3 into PostgreSQL, claim, write with {@code KinesisWriter}, record each key),
 * against {@code KinesisWriter} alone writing the same lines, with the same writer settings. Each measurement gets
 * a fresh stream of the same shape (kinesis-local slows down as a shard fills). Paired, interleaved rounds; the
 * Markdown table and the RESULT line go to {@code --report FILE} and stdout, progress to stderr.
 */
@Command(name = "adapter-benchmark", mixinStandardHelpOptions = true)
public final class AdapterBenchmark implements Callable<Integer> {

    @Option(names = "--lines", defaultValue = "20000")
    int lines;
    @Option(names = "--files", defaultValue = "4")
    int files;
    @Option(names = "--rounds", defaultValue = "7")
    int rounds;
    @Option(names = "--warm-ups", defaultValue = "1")
    int warmUps;
    @Option(names = "--shards", defaultValue = "16")
    int shards;
    @Option(names = "--calls", defaultValue = "8")
    int calls;
    @Option(names = "--state-dir", defaultValue = "target/bench-stack")
    Path stateDir;
    @Option(names = "--report")
    Path report;

    private int streams;

    public static void main(String[] args) {
        System.exit(new CommandLine(new AdapterBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try (LocalStack stack = LocalStack.start(stateDir);
             WriterClient client = WriterClient.create(Optional.of(stack.endpoints().kinesis()), Optional.of(AwsClients.REGION.id()),
                     calls + 2, b -> b.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))));
             S3Client s3 = S3Client.builder().endpointOverride(stack.endpoints().s3()).region(AwsClients.REGION).forcePathStyle(true)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                     .httpClient(UrlConnectionHttpClient.builder().build()).build();
             StagingDatabase db = StagingDatabase.open(stack.postgres().jdbcUrl(), 10, Duration.ofSeconds(10))) {
            s3.createBucket(b -> b.bucket("bench-logs"));
            List<byte[]> data = new ArrayList<>();
            for (int n = 1; n <= lines; n++) {
                data.add(("{\"order\":\"o-" + n + "\",\"amount\":" + (n % 997) + ",\"pad\":\"" + "x".repeat(60) + "\"}").getBytes(StandardCharsets.UTF_8));
            }
            PairedRounds result = PairedRounds.measure("adapter-throughput", warmUps, rounds,
                    () -> dropping(stack, s -> writerAlone(client, s, data)), () -> dropping(stack, s -> throughAdapter(client, s, s3, db, data)));
            String table = result.table("KinesisWriter alone lines/s", "adapter lines/s");
            String line = String.format(Locale.ROOT, "RESULT adapter-throughput lines_per_s=%.0f raw_lines_per_s=%.0f %s",
                    result.subject().median(), result.baseline().median(), result.resultFields());
            String text = table + System.lineSeparator() + line + System.lineSeparator();
            if (report != null) {
                Files.writeString(report, text);
            }
            System.out.print(text);
        }
        return 0;
    }

    private interface Measurement {
        double on(String stream) throws Exception;
    }

    /** One measurement on a fresh stream, deleted afterwards (kinesis-local allows 50 shards in all). */
    private double dropping(LocalStack stack, Measurement m) throws Exception {
        String name = "bench-adapter-" + (++streams);
        stack.createStream(name, shards);
        try {
            return m.on(name);
        } finally {
            stack.kinesis().deleteStream(b -> b.streamName(name).enforceConsumerDeletion(true));
        }
    }

    private WriterSettings settings(String stream) {
        return WriterSettings.forStream(stream).maxCallsInFlight(calls).deadline(Duration.ofMinutes(2)).callTimeout(Duration.ofSeconds(30)).build();
    }

    private double writerAlone(WriterClient client, String stream, List<byte[]> data) throws Exception {
        long began = System.nanoTime();
        try (KinesisWriter writer = KinesisWriter.start(client.kinesis(), settings(stream))) {
            List<CompletableFuture<?>> all = new ArrayList<>(data.size());
            for (int i = 0; i < data.size(); i++) {
                all.add(writer.write(OutgoingRecord.of("b:" + i, data.get(i))));
            }
            writer.flush();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        }
        return data.size() / ((System.nanoTime() - began) / 1e9);
    }

    private double throughAdapter(WriterClient client, String stream, S3Client s3, StagingDatabase db, List<byte[]> data) throws Exception {
        // The objects are in S3 before the clock starts, as a notification says they are.
        int perFile = (data.size() + files - 1) / files;
        List<String> keys = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            for (int i = f * perFile; i < Math.min(data.size(), (f + 1) * perFile); i++) {
                plain.write(data.get(i));
                plain.write('\n');
            }
            byte[] body = plain.toByteArray();
            boolean gzip = f % 2 == 1;
            if (gzip) {
                ByteArrayOutputStream z = new ByteArrayOutputStream();
                try (GZIPOutputStream out = new GZIPOutputStream(z)) {
                    out.write(body);
                }
                body = z.toByteArray();
            }
            String key = stream + "/f-" + f + (gzip ? ".log.gz" : ".log");
            s3.putObject(b -> b.bucket("bench-logs").key(key), RequestBody.fromBytes(body));
            keys.add(key);
        }
        StagingStore store = new StagingStore(db.dataSource(), "bench-" + stream);
        Ingester ingester = new Ingester(s3, store, new Ingester.Settings(2, 1000, Duration.ofMinutes(2), Duration.ofMillis(100)));
        KinesisForwarder forwarder = new KinesisForwarder(client.kinesis(), store, new KinesisForwarder.Settings(1000, 5000,
                Duration.ofMinutes(5), Duration.ofMillis(50), this::settings));
        long began = System.nanoTime();
        ingester.start();
        forwarder.start();
        try {
            for (String key : keys) {
                String etag = s3.headObject(b -> b.bucket("bench-logs").key(key)).eTag().replace("\"", "");
                store.register("bench-logs", key, etag, "orders", stream);
            }
            ingester.wakeUp();
            while (written(db, stream) < data.size()) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            return data.size() / ((System.nanoTime() - began) / 1e9);
        } finally {
            forwarder.close();
            ingester.close();
        }
    }

    private static long written(StagingDatabase db, String stream) throws Exception {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("select count(*) from lines where stream = ? and written_at is not null")) {
            s.setString(1, stream);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
