package io.streamwreck.processor;

import io.streamwreck.local.bench.PairedRounds;
import io.streamwreck.local.standin.AwsClients;
import io.streamwreck.local.standin.LocalEndpoints;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.processor.decorator.GatedProcessorFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The decorator benchmark (issue 19), run by bench/decorator.sh: records/s of a KCL application written the usual way
 * (its own processor, checkpointing itself every {@link #CHECKPOINT_EVERY} records) wrapped by
 * {@link GatedProcessorFactory#wrap} and publishing notices to SNS (moto), ÷ records/s of the same application
 * unwrapped — same stream, same data, same run; each round a new application (a new lease table) reading the stream
 * from TRIM_HORIZON. A round runs from the Scheduler's start to the last record handled and, wrapped, every notice
 * published. Arguments: records, shards, rounds. Prints a Markdown section body ending with the RESULT line.
 */
public final class DecoratorBenchmark {

    /** How often the application checkpoints: a common choice, and what makes gating visible (each one waits for SNS). */
    static final int CHECKPOINT_EVERY = 1_000;

    /** The application's processor: counts, remembers when it last handled a record, checkpoints every N records. */
    static final class CountingProcessor implements ShardRecordProcessor {
        private final AtomicLong handled;
        private final AtomicLong last;
        private long count;

        CountingProcessor(AtomicLong handled, AtomicLong last) {
            this.handled = handled;
            this.last = last;
        }

        @Override
        public void initialize(InitializationInput input) {
        }

        @Override
        public void processRecords(ProcessRecordsInput input) {
            for (KinesisClientRecord r : input.records()) {
                handled.incrementAndGet();
                if (++count % CHECKPOINT_EVERY == 0) {
                    UsualKclApp.Processor.checkpoint(() -> input.checkpointer().checkpoint(r.sequenceNumber(), r.subSequenceNumber()));
                }
            }
            last.set(System.nanoTime());
        }

        @Override
        public void leaseLost(LeaseLostInput input) {
        }

        @Override
        public void shardEnded(ShardEndedInput input) {
            UsualKclApp.Processor.checkpoint(() -> input.checkpointer().checkpoint());
        }

        @Override
        public void shutdownRequested(ShutdownRequestedInput input) {
            UsualKclApp.Processor.checkpoint(() -> input.checkpointer().checkpoint());
        }
    }

    private DecoratorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.parseInt(args[0]);
        int shards = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        try (LocalStack stack = LocalStack.start(Path.of("target/bench-stack"))) {
            TestStream stream = TestStream.create(stack, "decorator-bench", shards);
            ProcessorBenchmark.fill(stream, records, shards);
            String topic = stack.sns().createTopic(b -> b.name("decorator-bench-notices")).topicArn();
            int[] measured = new int[2];
            run(stack, stream, topic, records, false, "warm-up");
            PairedRounds pairs = PairedRounds.measure("decorator-overhead", 0, rounds,
                    () -> run(stack, stream, topic, records, false, "usual-" + measured[0]++),
                    () -> run(stack, stream, topic, records, true, "decorated-" + measured[1]++));
            System.out.printf(Locale.ROOT, "%d user records (KPL aggregates of %d) on a %d-shard kinesis-local stream; the "
                            + "application checkpoints every %,d records; one warm-up run, then %d paired rounds (usual and "
                            + "decorated back to back, the first alternating); the ratio is the median of the rounds' ratios.%n%n",
                    records, ProcessorBenchmark.USER_RECORDS_PER_AGGREGATE, shards, CHECKPOINT_EVERY, pairs.rounds().size());
            System.out.print(pairs.table("usual records/s", "decorated (SNS, moto) records/s"));
            System.out.println();
            System.out.printf(Locale.ROOT, "RESULT decorator-overhead %s records_per_s=%.0f usual_records_per_s=%.0f target=0.9%n",
                    pairs.resultFields(), pairs.subject().median(), pairs.baseline().median());
        }
    }

    private static double run(LocalStack stack, TestStream stream, String topic, int records, boolean decorated, String name)
            throws Exception {
        AtomicLong handled = new AtomicLong();
        AtomicLong last = new AtomicLong();
        ShardRecordProcessorFactory usual = () -> new CountingProcessor(handled, last);
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LocalEndpoints.ACCESS_KEY_ID, LocalEndpoints.SECRET_ACCESS_KEY));
        String app = "decorator-bench-" + name + "-" + System.nanoTime();
        // The usual side has no SNS client or publisher at all: its threads would be the decorator's cost, not its own.
        try (SnsAsyncClient sns = decorated ? UsualKclApp.sns(AwsClients.REGION, credentials, stack.endpoints().sns()) : null;
             GatedProcessorFactory wrapped = decorated ? GatedProcessorFactory.wrap(usual, sns, topic, stream.name(), app, "bench-worker") : null) {
            Scheduler scheduler = UsualKclApp.scheduler(stream.name(), app, "bench-worker", decorated ? wrapped : usual, 10_000,
                    AwsClients.REGION, credentials, stack.endpoints().kinesis(), stack.endpoints().dynamoDb());
            Thread worker = new Thread(scheduler, "bench-scheduler");
            long start = System.nanoTime();
            worker.start();
            long deadline = start + Duration.ofMinutes(10).toNanos();
            while (handled.get() < records || (decorated && wrapped.publisher().stats().keys() < records)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + ": not done after 10 minutes (" + handled.get() + " handled)");
                }
                Thread.sleep(5); // polling the counters; the usual side is measured from the handler's own timestamp
            }
            long end = decorated ? System.nanoTime() : last.get();
            double perSecond = records / ((end - start) / 1e9);
            scheduler.startGracefulShutdown().get(30, TimeUnit.SECONDS);
            worker.join(30_000);
            System.err.printf(Locale.ROOT, "bench: %s %.0f records/s%n", name, perSecond);
            return perSecond;
        }
    }
}
