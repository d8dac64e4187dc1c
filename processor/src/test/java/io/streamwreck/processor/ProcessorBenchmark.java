package io.streamwreck.processor;

import io.streamwreck.local.bench.PairedRounds;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.processor.handler.CountingRecordHandler;
import io.streamwreck.processor.handler.IncomingRecord;
import io.streamwreck.processor.handler.RecordHandler;
import io.streamwreck.publish.PublisherStats;
import software.amazon.kinesis.metrics.MetricsLevel;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The processor benchmark (issue 4), run by bench/processor.sh:
 * <ul>
 *   <li>overhead: records/s of a worker publishing notices to SNS (moto) ÷ records/s of the same worker with a
 *       publisher that drops them, on the same stream and data in the same run (each round a new application, so
 *       each reads the stream from TRIM_HORIZON); a measurement ends when every record is handled and, with SNS, every
 *       notice published; the ratio is the median of paired rounds (both back to back, the first alternating) with its
 *       min and max ({@link PairedRounds});</li>
 *   <li>SNS calls per 1,000,000 records: PublishBatch calls made in the SNS rounds.</li>
 * </ul>
 * Arguments: records, shards, rounds. Prints a Markdown section body ending with the RESULT lines.
 */
public final class ProcessorBenchmark {

    /**
     * Counts and remembers when the last record was handled. A round's time runs from the worker's start (KCL
     * start-up, lease table, the first GetRecords) to the last record handled and, with SNS, its notice published:
     * the time to consume a backlog, as a user sees it. KCL fetches 10,000 Kinesis records per call ahead of the
     * handler, so the handler's own span is too short to measure and would only show fetch timing.
     */
    static final class TimingHandler implements RecordHandler {
        final CountingRecordHandler counting = new CountingRecordHandler();
        final AtomicLong last = new AtomicLong();

        @Override
        public boolean handle(IncomingRecord record) {
            last.set(System.nanoTime());
            return counting.handle(record);
        }
    }

    /**
     * kinesis-local re-hashes a shard's whole record list for every record it adds (filling is quadratic), so the
     * stream holds KPL aggregates of 10 user records: 200,000 records to handle in 20,000 Kinesis records. KCL
     * de-aggregates them; each user record is handled, reported and counted on its own.
     */
    static final int USER_RECORDS_PER_AGGREGATE = 10;

    record Round(boolean sns, double recordsPerSecond, PublisherStats stats, long records) {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.parseInt(args[0]);
        int shards = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        try (LocalStack stack = LocalStack.start(Path.of("target/bench-stack"))) {
            TestStream stream = TestStream.create(stack, "bench", shards);
            fill(stream, records, shards);
            String topic = stack.sns().createTopic(b -> b.name("bench-notices")).topicArn();
            List<Round> sns = new ArrayList<>();
            run(stack, stream, topic, records, false, "warm-up");
            int[] measured = new int[2];
            PairedRounds pairs = PairedRounds.measure("processor-overhead", 0, rounds,
                    () -> run(stack, stream, topic, records, false, "discard-" + measured[0]++).recordsPerSecond(),
                    () -> {
                        Round r = run(stack, stream, topic, records, true, "sns-" + measured[1]++);
                        sns.add(r);
                        return r.recordsPerSecond();
                    });
            report(pairs, sns, records, shards);
        }
    }

    static void fill(TestStream stream, int records, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> parts = new ArrayList<>();
        int per = records / threads;
        for (int t = 0; t < threads; t++) {
            int n = t == threads - 1 ? records - per * (threads - 1) : per;
            parts.add(pool.submit(() -> stream.writeAggregated(n / USER_RECORDS_PER_AGGREGATE, USER_RECORDS_PER_AGGREGATE)));
        }
        for (Future<?> f : parts) {
            f.get();
        }
        pool.shutdown();
    }

    private static Round run(LocalStack stack, TestStream stream, String topic, int records, boolean sns, String name) throws Exception {
        TimingHandler handler = new TimingHandler();
        ProcessorSettings settings = new ProcessorSettings(stream.name(), "bench-" + name + "-" + System.nanoTime(), topic,
                Optional.of("us-east-1"), Optional.of(stack.endpoints().kinesis()), Optional.of(stack.endpoints().dynamoDb()),
                Optional.of(stack.endpoints().sns()), Optional.of(URI.create("http://127.0.0.1:9")), InitialPosition.TRIM_HORIZON,
                Duration.ofSeconds(10), ProcessorSettings.Retrieval.POLLING, Duration.ofMillis(200), 10_000, Duration.ofSeconds(60),
                MetricsLevel.NONE, "bench-worker", Optional.empty(), Duration.ofMillis(500), 4, Duration.ZERO, Duration.ofSeconds(30), !sns);
        try (ProcessorApp app = new ProcessorApp(settings, handler)) {
            Thread worker = new Thread(app::run, "bench-worker");
            long start = System.nanoTime();
            worker.start();
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (handler.counting.handled() < records || (sns && app.publisher().stats().keys() < records)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + ": not done after 10 minutes");
                }
                Thread.sleep(5); // polling the counters; the benchmark measures from the handler's own timestamps
            }
            long end = sns ? System.nanoTime() : handler.last.get();
            double seconds = (end - start) / 1e9;
            PublisherStats stats = app.publisher().stats();
            app.shutdown();
            worker.join(30_000);
            System.err.printf(Locale.ROOT, "bench: %s %.0f records/s%s%n", name, records / seconds,
                    sns ? " (" + stats.calls() + " SNS calls, " + stats.notices() + " notices)" : "");
            return new Round(sns, records / seconds, stats, records);
        }
    }

    private static void report(PairedRounds pairs, List<Round> sns, int records, int shards) {
        long calls = sns.stream().mapToLong(r -> r.stats().calls()).sum();
        long notices = sns.stream().mapToLong(r -> r.stats().notices()).sum();
        long snsRecords = sns.stream().mapToLong(Round::records).sum();
        System.out.printf(Locale.ROOT, "%d user records (KPL aggregates of %d) on a %d-shard kinesis-local stream; one warm-up run, then "
                + "%d paired rounds (discard and SNS back to back, the first alternating); the ratio is the median of the rounds' "
                + "ratios.%n%n", records, USER_RECORDS_PER_AGGREGATE, shards, pairs.rounds().size());
        System.out.print(pairs.table("discard records/s", "SNS (moto) records/s"));
        System.out.println();
        System.out.println("| SNS round | SNS calls | notices |");
        System.out.println("|---:|---:|---:|");
        for (int i = 0; i < sns.size(); i++) {
            System.out.printf(Locale.ROOT, "| %d | %d | %d |%n", i + 1, sns.get(i).stats().calls(), sns.get(i).stats().notices());
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "RESULT processor-overhead %s records_per_s=%.0f discard_records_per_s=%.0f target=0.9%n",
                pairs.resultFields(), pairs.subject().median(), pairs.baseline().median());
        System.out.printf(Locale.ROOT, "RESULT processor-sns calls_per_million=%.1f calls=%d notices=%d records=%d target=50%n",
                calls * 1e6 / snsRecords, calls, notices, snsRecords);
    }
}
