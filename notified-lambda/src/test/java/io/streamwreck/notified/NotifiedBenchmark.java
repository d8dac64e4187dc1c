package io.streamwreck.notified;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.Notice;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.bench.PairedRounds;
import io.streamwreck.local.lambda.LocalLambdaContext;
import io.streamwreck.local.standin.LocalStack;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code make bench} (bench/notified.sh): keys recorded per second through {@link NotifiedHandler} against
 * {@link RedisLedger#record} called directly in the same run (the median ratio of paired rounds with its min and max,
 * {@link PairedRounds}), and the function's cold start (median, min, max). Writes a Markdown
 * section ending in {@code RESULT} lines to the file given as first argument; progress goes to standard error
 * and the function's own output (JSON logs, EMF) to standard output.
 *
 * <p>Usage: {@code NotifiedBenchmark REPORT.md [notices-per-round] [cold-starts]} (defaults 100 and 5); the
 * deployment jar {@code target/notified-lambda.jar} must have been built.
 */
public final class NotifiedBenchmark {

    private static final int KEYS_PER_NOTICE = 2_000;
    private static final int SHARDS = 4;
    private static final int WARM_UP_ROUNDS = 3;
    private static final int ROUNDS = 7;
    private static final Path JAR = Path.of("target/notified-lambda.jar");

    private final String redisUrl;
    private final int noticesPerRound;

    private NotifiedBenchmark(String redisUrl, int noticesPerRound) {
        this.redisUrl = redisUrl;
        this.noticesPerRound = noticesPerRound;
    }

    public static void main(String[] args) throws Exception {
        Path report = Path.of(args[0]);
        int noticesPerRound = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException("build the deployment jar first: mvn -pl notified-lambda package -DskipTests");
        }
        String markdown;
        try (LocalStack stack = LocalStack.start(Path.of("target/notified-bench"))) {
            NotifiedBenchmark bench = new NotifiedBenchmark(stack.endpoints().redis().toString(), noticesPerRound);
            PairedRounds throughput = bench.throughput();
            markdown = report(throughput, noticesPerRound);
        }
        Files.writeString(report, markdown, StandardCharsets.UTF_8);
        progress("wrote %s", report);
    }

    /**
     * Rounds of {@code noticesPerRound} fresh notices per path; the first rounds warm up (JIT, connections). Within a round the two
     * paths take turns notice by notice (and swap who goes first), so that both see the same load on a shared
     * machine and the same Redis: each path's rate is its keys over the time spent in it.
     */
    private PairedRounds throughput() {
        PairedRounds pairs = new PairedRounds("notified-throughput");
        try (RedisLedger ledger = RedisLedger.connect(redisUrl, false, Duration.ofHours(48));
             NotifiedHandler handler = new NotifiedHandler(Map.of("REDIS_URL", redisUrl))) {
            for (int round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
                List<Notice> plain = notices("direct-" + round);
                List<SNSEvent> events = new ArrayList<>();
                for (Notice n : notices("handler-" + round)) {
                    events.add(SnsEvents.of(n)); // what the Lambda runtime hands over: one record per invocation
                }
                List<LocalLambdaContext> contexts = new ArrayList<>();
                for (int i = 0; i < events.size(); i++) {
                    contexts.add(new LocalLambdaContext("notified-bench", UUID.randomUUID().toString(), Duration.ofMinutes(1)));
                }
                double load = PairedRounds.loadAverage();
                long[] cpuBefore = PairedRounds.cpuTimes();
                long directNanos = 0;
                long handlerNanos = 0;
                for (int i = 0; i < noticesPerRound; i++) {
                    int k = i;
                    boolean directFirst = (i + round) % 2 == 0;
                    if (directFirst) {
                        directNanos += timed(() -> ledger.record(plain.get(k)));
                    }
                    handlerNanos += timed(() -> handler.handleRequest(events.get(k), contexts.get(k)));
                    if (!directFirst) {
                        directNanos += timed(() -> ledger.record(plain.get(k)));
                    }
                }
                double keys = (double) noticesPerRound * KEYS_PER_NOTICE;
                double d = keys / (directNanos / 1e9);
                double h = keys / (handlerNanos / 1e9);
                if (round < WARM_UP_ROUNDS) {
                    progress("warm-up round %d: direct %,.0f keys/s, handler %,.0f keys/s (%.2f)", round + 1, d, h, h / d);
                } else {
                    // "first": which path led the round's first notice (they take turns within the round).
                    pairs.add(d, h, round % 2 == 0, load, PairedRounds.stealPercent(cpuBefore, PairedRounds.cpuTimes()));
                }
            }
        }
        return pairs;
    }

    private static long timed(Runnable action) {
        long began = System.nanoTime();
        action.run();
        return System.nanoTime() - began;
    }

    /** Fresh notices (new scope, so new keys and ids): consecutive 2,000-record batches spread over the shards. */
    private List<Notice> notices(String label) {
        Scope scope = TestNotices.freshScope("bench-" + label);
        List<Notice> notices = new ArrayList<>(noticesPerRound);
        for (int i = 0; i < noticesPerRound; i++) {
            List<RecordKey> keys = TestNotices.keys(i % SHARDS, (long) (i / SHARDS) * KEYS_PER_NOTICE, KEYS_PER_NOTICE);
            notices.add(TestNotices.notice(scope, keys));
        }
        return notices;
    }

    private static String report(PairedRounds t, int noticesPerRound) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%d notices of %,d keys per path and round (%d shards, kinesis-local-shaped sequence "
                + "numbers, fresh keys each round), %d warm-up rounds, then %d paired rounds; within a round the paths take turns "
                + "notice by notice (which leads alternates by notice and by round), so both see the same load and the same Redis; "
                + "each path's rate is its keys over the time spent in it, the round's ratio handler ÷ direct, and the figure "
                + "reported the median of the rounds' ratios.%n%n",
                noticesPerRound, KEYS_PER_NOTICE, SHARDS, WARM_UP_ROUNDS, ROUNDS));
        md.append(t.table("`RedisLedger.record` keys/s", "`NotifiedHandler.handleRequest` keys/s"));
        md.append(String.format(Locale.ROOT, "%nms per notice (median): direct %.2f, handler %.2f.%n",
                KEYS_PER_NOTICE * 1000.0 / t.baseline().median(), KEYS_PER_NOTICE * 1000.0 / t.subject().median()));
        md.append(String.format(Locale.ROOT, "%nCold start (notified-init) is measured by bench/lambda-init.sh against the jar of an "
                + "older commit.%n%n"));
        md.append(String.format(Locale.ROOT, "RESULT notified-throughput %s keys_per_s=%.0f direct_keys_per_s=%.0f target=0.8%n",
                t.resultFields(), t.subject().median(), t.baseline().median()));
        return md.toString();
    }

    private static void progress(String format, Object... args) {
        System.err.println("bench: " + String.format(Locale.ROOT, format, args));
    }
}
