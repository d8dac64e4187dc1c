package io.streamwreck.producer.bench;

import io.streamwreck.local.bench.PairedRounds;
import io.streamwreck.local.standin.AwsClients;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.producer.KinesisWriter;
import io.streamwreck.producer.OutgoingRecord;
import io.streamwreck.producer.WriterClient;
import io.streamwreck.producer.WriterSettings;
import io.streamwreck.producer.WriterStats;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code RESULT producer-put}: the writer's throughput against a raw loop of 500-record PutRecords calls to
 * kinesis-local, in the same run, with the same records, the same client and the same number of calls in flight.
 * The ratio (writer ÷ raw) is what the writer's bookkeeping costs: futures, routing and per-shard rate limiting,
 * batching, deadlines, retry machinery. Target: at least 0.9.
 *
 * <p>Every measurement writes to a fresh stream of the same shape, deleted afterwards. kinesis-local's PutRecords
 * slows down as a shard fills (kinesis-mock 0.6.2 groups each call's entries by a key holding the shard's whole
 * record list, so every entry hashes all records already in its shard): the second of two runs into one stream
 * would meet a slower emulator for reasons that have nothing to do with the writer. Rounds alternate which side
 * goes first, and the medians are compared. A Markdown table and the RESULT line go to stdout (and to
 * {@code --report FILE}, so that a script need not pick them out of Maven's output), progress to stderr.
 *
 * <p>Options: {@code --records N} per measurement (default 20000), {@code --size B} data bytes (100),
 * {@code --shards S} (32), {@code --rounds R} (7), {@code --calls C} calls in flight (8), {@code --state-dir DIR},
 * {@code --report FILE}.
 */
public final class ProducerPutBenchmark {

    private static final int WARM_UP_RUNS = 2;

    private int records = 20_000;
    private int size = 100;
    private int shards = 32;
    private int rounds = 7;
    private int calls = 8;
    private Path stateDir = Path.of("target/bench-stack");
    private Path report;
    /** Client-side CPU (this JVM, all threads) spent in measured rounds, per side, in nanoseconds. */
    private long rawCpuNanos;
    private long writerCpuNanos;
    private long measuredRawRecords;
    /** PutRecords calls the writer made across all measured rounds, for the records-per-call figure. */
    private long writerCalls;
    private long writerRecords;

    public static void main(String[] args) {
        int status = 0;
        try {
            ProducerPutBenchmark bench = new ProducerPutBenchmark();
            bench.parse(args);
            bench.run();
        } catch (Exception e) {
            System.err.println("bench: producer-put failed: " + e);
            e.printStackTrace();
            status = 1;
        }
        // DynamoDB Local leaves non-daemon threads behind even when the stack is closed: exit explicitly, or a
        // failed run would hang make bench.
        System.exit(status);
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--records" -> records = Integer.parseInt(value);
                case "--size" -> size = Integer.parseInt(value);
                case "--shards" -> shards = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--calls" -> calls = Integer.parseInt(value);
                case "--state-dir" -> stateDir = Path.of(value);
                case "--report" -> report = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
    }

    private void run() throws Exception {
        log("starting the local stack in " + stateDir + " …");
        try (LocalStack stack = LocalStack.start(stateDir);
             WriterClient client = WriterClient.create(Optional.of(stack.endpoints().kinesis()), Optional.of(AwsClients.REGION.id()),
                     calls, b -> b.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))))) {
            List<OutgoingRecord> data = records(records, size);
            KinesisAsyncClient kinesis = client.kinesis();

            // Cold, the writer costs about five times the CPU per record it costs once compiled: warm both sides up
            // with full-size runs so that the measured rounds compare compiled code.
            for (int i = 0; i < WARM_UP_RUNS; i++) {
                log("warm-up " + (i + 1) + "/" + WARM_UP_RUNS + " (JIT, connections) …");
                measure(stack, "warm-raw-" + i, s -> raw(kinesis, s, data));
                measure(stack, "warm-writer-" + i, s -> writer(kinesis, s, data));
            }
            writerCalls = 0;
            writerRecords = 0;

            int[] measured = new int[2];     // stream names: raw-0, writer-0, raw-1, …
            PairedRounds pairs = PairedRounds.measure("producer-put", 0, rounds, () -> {
                long cpuBefore = processCpuNanos();
                double rate = measure(stack, "raw-" + measured[0]++, s -> raw(kinesis, s, data));
                rawCpuNanos += processCpuNanos() - cpuBefore;
                measuredRawRecords += data.size();
                return rate;
            }, () -> {
                long cpuBefore = processCpuNanos();
                double rate = measure(stack, "writer-" + measured[1]++, s -> writer(kinesis, s, data));
                writerCpuNanos += processCpuNanos() - cpuBefore;
                return rate;
            });
            double recordsPerCall = (double) writerRecords / writerCalls;
            double rawMedian = pairs.baseline().median();
            double writerMedian = pairs.subject().median();

            StringBuilder out = new StringBuilder();
            out.append(pairs.table("raw loop records/s", "KinesisWriter records/s"));
            out.append(String.format(Locale.ROOT, "%n| what | value |%n|---|---:|%n"));
            out.append(String.format(Locale.ROOT, "| writer: records per PutRecords call (mean) | %.1f |%n", recordsPerCall));
            out.append(String.format(Locale.ROOT, "| client CPU per 1000 records, raw loop (ms, whole JVM) | %.1f |%n",
                    rawCpuNanos / 1e6 / (measuredRawRecords / 1000.0)));
            out.append(String.format(Locale.ROOT, "| client CPU per 1000 records, writer (ms, whole JVM) | %.1f |%n",
                    writerCpuNanos / 1e6 / (writerRecords / 1000.0)));
            out.append(String.format(Locale.ROOT, "%nEach measurement: %d records of %d data bytes, distinct partition keys, to a fresh "
                    + "%d-shard stream; raw loop: 500-record PutRecords, %d calls in flight; writer: write() + flush(), up to %d calls "
                    + "in flight; %d warm-up runs of each, then %d paired rounds, alternating which side goes first.%n%n",
                    records, size, shards, calls, calls, WARM_UP_RUNS, rounds));
            out.append(String.format(Locale.ROOT, "RESULT producer-put %s records_per_s=%.0f raw_records_per_s=%.0f%n",
                    pairs.resultFields(), writerMedian, rawMedian));
            System.out.print(out);
            if (report != null) {
                Files.writeString(report, out.toString(), StandardCharsets.UTF_8);
            }
        }
    }

    /** What one measurement runs against a stream: returns records per second. */
    private interface Measurement {
        double run(String stream) throws Exception;
    }

    /** Runs a measurement against a fresh stream of {@code shards} shards, then deletes the stream. */
    private double measure(LocalStack stack, String name, Measurement measurement) throws Exception {
        String stream = "producer-bench-" + name;
        stack.createStream(stream, shards);
        try {
            return measurement.run(stream);
        } finally {
            stack.kinesis().deleteStream(b -> b.streamName(stream).enforceConsumerDeletion(true));
        }
    }

    /** Records with distinct partition keys (spread over all shards) and random data. */
    private static List<OutgoingRecord> records(int count, int size) {
        Random random = new Random(42);
        List<OutgoingRecord> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            list.add(OutgoingRecord.of("pk-" + i, SdkBytes.fromByteArrayUnsafe(bytes)));
        }
        return list;
    }

    /**
     * The baseline: the records cut into 500-record PutRecords calls, sent with at most {@code calls} in flight,
     * no per-record bookkeeping. Failed entries are counted, not retried (kinesis-local fails none).
     */
    private double raw(KinesisAsyncClient kinesis, String stream, List<OutgoingRecord> data) throws Exception {
        List<PutRecordsRequest> requests = new ArrayList<>();
        for (int from = 0; from < data.size(); from += 500) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>(500);
            for (OutgoingRecord r : data.subList(from, Math.min(from + 500, data.size()))) {
                entries.add(PutRecordsRequestEntry.builder().partitionKey(r.partitionKey()).data(r.data()).build());
            }
            requests.add(PutRecordsRequest.builder().streamName(stream).records(entries).build());
        }
        Semaphore slots = new Semaphore(calls);
        AtomicLong failedEntries = new AtomicLong();
        List<CompletableFuture<?>> all = new ArrayList<>(requests.size());
        long began = System.nanoTime();
        for (PutRecordsRequest request : requests) {
            slots.acquire();
            all.add(kinesis.putRecords(request).whenComplete((response, failure) -> {
                slots.release();
                if (failure == null) {
                    failedEntries.addAndGet(response.failedRecordCount() == null ? 0 : response.failedRecordCount());
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        long nanos = System.nanoTime() - began;
        if (failedEntries.get() > 0) {
            throw new IllegalStateException("the raw loop saw " + failedEntries.get() + " failed entries; the comparison is void");
        }
        return data.size() / (nanos / 1e9);
    }

    /** The writer with its default settings except the calls in flight, from the first write until flush returns. */
    private double writer(KinesisAsyncClient kinesis, String stream, List<OutgoingRecord> data) throws Exception {
        WriterSettings settings = WriterSettings.forStream(stream).maxCallsInFlight(calls).build();
        try (KinesisWriter writer = KinesisWriter.start(kinesis, settings)) {
            long began = System.nanoTime();
            for (OutgoingRecord r : data) {
                writer.write(r);
            }
            writer.flush().get(5, TimeUnit.MINUTES);
            long nanos = System.nanoTime() - began;
            WriterStats stats = writer.stats();
            if (stats.written() != data.size()) {
                throw new IllegalStateException("the writer wrote " + stats.written() + " of " + data.size() + " records: " + stats);
            }
            if (data.size() == records) {
                writerCalls += stats.calls();
                writerRecords += stats.written();
            }
            return data.size() / (nanos / 1e9);
        }
    }

    /** CPU time of this whole JVM (every thread, GC included). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void log(String message) {
        System.err.println("bench: " + message);
    }
}
