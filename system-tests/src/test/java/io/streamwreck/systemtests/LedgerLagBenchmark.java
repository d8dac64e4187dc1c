package io.streamwreck.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.KeyStatus;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.system.LocalSystem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The ledger-lag benchmark (issue 19), run by bench/ledger-lag.sh: how long after the handler completed a record the
 * ledger counts it, with the whole local system running (a fleet of processor.jar workers publishing to SNS with the
 * default 500 ms linger, SNS → SQS → the notified Lambda → Redis), the producer writing at a steady rate.
 *
 * <p>The workers' audit logs say when each record was completed ({@code at}, written before its notice is sent); a
 * sampler tails them and asks the ledger about every completed record not yet counted, in one classify call per
 * pass, until each is processed: lag = when the ledger first answered processed − {@code at}. The sampler's pass time
 * (a few ms) is in the figure, so it is an upper bound. Records completed in the first {@link #WARM_UP} are left out
 * (JIT, first SNS calls, the Lambda's first invocations).
 *
 * <p>Arguments: records per second, seconds, shards, workers. Prints a Markdown section body ending with the RESULT
 * line.
 */
public final class LedgerLagBenchmark {

    static final Duration LINGER = Duration.ofMillis(500);
    static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One audit log read as it grows: complete lines only, the partial last one kept for the next pass. */
    static final class AuditTail {
        private final Path file;
        private long position;
        private final StringBuilder partial = new StringBuilder();

        AuditTail(Path file) {
            this.file = file;
        }

        /** The records completed since the last call, with when. */
        Map<RecordKey, Instant> completed() throws IOException {
            Map<RecordKey, Instant> out = new LinkedHashMap<>();
            if (!Files.exists(file)) {
                return out;
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size <= position) {
                    return out;
                }
                ByteBuffer buf = ByteBuffer.allocate((int) (size - position));
                while (buf.hasRemaining() && ch.read(buf, position + buf.position()) > 0) {
                    // read until the size seen
                }
                position += buf.position();
                partial.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
            }
            int start = 0;
            for (int nl = partial.indexOf("\n"); nl >= 0; nl = partial.indexOf("\n", start)) {
                String line = partial.substring(start, nl);
                start = nl + 1;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                if (node.has("key")) {
                    out.put(RecordKey.parse(node.get("key").asText()), Instant.parse(node.get("at").asText()));
                }
            }
            partial.delete(0, start);
            return out;
        }
    }

    private LedgerLagBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rate = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int shards = Integer.parseInt(args[2]);
        int workers = Integer.parseInt(args[3]);
        String stream = "ledger-lag-" + System.nanoTime() % 1_000_000_000L;
        try (LocalStack stack = LocalStack.start(Path.of("target/bench-stack"));
             LocalSystem system = LocalSystem.builder().stack(stack).repository(Systems.REPOSITORY)
                     .workDir(Path.of("target/bench-ledger-lag", stream)).stream(stream).app(stream + "-app")
                     .shards(shards).workers(workers).workerArgs(List.of("--publish-linger", LINGER.toMillis() + "ms"))
                     .checkerPort(0).start();
             RedisLedger ledger = RedisLedger.connect(stack.endpoints().redis().toString(), false, Duration.ofDays(1))) {
            Scope scope = new Scope(system.stream(), system.app());
            List<AuditTail> tails = new ArrayList<>();
            for (int n = 1; n <= workers; n++) {
                tails.add(new AuditTail(system.auditLog(n)));
            }
            int records = rate * seconds;
            Instant measuredFrom = Instant.now().plus(WARM_UP);
            System.err.printf(Locale.ROOT, "bench: ledger-lag: %d records at %d/s over %d shards, %d workers …%n",
                    records, rate, shards, workers);
            CompletableFuture<List<String>> producer = CompletableFuture.supplyAsync(() -> system.produce(records, rate));
            Map<RecordKey, Instant> waiting = new LinkedHashMap<>();
            long[] lags = new long[records];
            int measured = 0;
            int counted = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds).plusMinutes(5).toNanos();
            while (!producer.isDone() || counted < records) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the ledger counted " + counted + " of " + records + " records in time");
                }
                for (AuditTail tail : tails) {
                    waiting.putAll(tail.completed());
                }
                if (waiting.isEmpty()) {
                    Thread.sleep(5); // nothing completed since the last pass
                    continue;
                }
                List<RecordKey> keys = new ArrayList<>(waiting.keySet());
                List<KeyStatus> statuses = ledger.classify(scope, keys);
                Instant now = Instant.now();
                for (KeyStatus status : statuses) {
                    if (status.classification() == Classification.PROCESSED || status.classification() == Classification.DUPLICATED) {
                        Instant at = waiting.remove(status.key());
                        counted++;
                        if (!at.isBefore(measuredFrom) && measured < lags.length) {
                            lags[measured++] = Duration.between(at, now).toMillis();
                        }
                    }
                }
            }
            int written = producer.join().size();
            long[] sample = Arrays.copyOf(lags, measured);
            Arrays.sort(sample);
            long p50 = percentile(sample, 0.50);
            long p90 = percentile(sample, 0.90);
            long p99 = percentile(sample, 0.99);
            long max = sample.length == 0 ? 0 : sample[sample.length - 1];
            long target = LINGER.plusSeconds(1).toMillis();
            System.out.printf(Locale.ROOT, "%,d records written at %,d records/s over %d shards, %d workers (processor.jar, "
                            + "--publish-linger %d ms); %,d counted by the ledger, %,d measured (the first %d s left out).%n%n",
                    written, rate, shards, workers, LINGER.toMillis(), counted, measured, WARM_UP.toSeconds());
            System.out.println("| p50 ms | p90 ms | p99 ms | max ms | target (linger + 1 s) ms |");
            System.out.println("|---:|---:|---:|---:|---:|");
            System.out.printf(Locale.ROOT, "| %d | %d | %d | %d | %d |%n%n", p50, p90, p99, max, target);
            System.out.printf(Locale.ROOT, "RESULT ledger-lag p50_ms=%d p90_ms=%d p99_ms=%d max_ms=%d records_per_s=%d linger_ms=%d "
                            + "target_ms=%d p99_vs_target=%.2f%n", p50, p90, p99, max, rate, LINGER.toMillis(), target,
                    (double) p99 / target);
        }
    }

    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
