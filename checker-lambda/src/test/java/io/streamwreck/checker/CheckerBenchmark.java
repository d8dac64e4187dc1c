package io.streamwreck.checker;

import io.streamwreck.local.standin.KinesisLocalSequenceNumbers;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.DeliveredBatch;
import io.streamwreck.core.notice.Notice;
import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.KeyStatus;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.bench.PairedRounds;
import io.streamwreck.local.lambda.ApiGatewayServer;
import io.streamwreck.local.standin.LocalStack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code bench/checker.sh}: keys per second through HTTP {@code POST /reconcile} — the handler served by
 * {@link ApiGatewayServer}, JSON in and out, 10,000 qualified keys per request — against
 * {@link RedisLedger#classify} called directly on the same keys in the same run: the median ratio (with min and
 * max) of paired rounds after a warm-up, the side that goes first alternating ({@link PairedRounds}). Prints a Markdown section on stdout ending in the
 * {@code RESULT} line; progress on stderr.
 *
 * <p>Usage: {@code CheckerBenchmark [records] [shards] [keys per request] [rounds]} (default 200,000 over 4
 * shards, 10,000, 7).
 */
public final class CheckerBenchmark {

    private static final double WRITE_RATE = 1_000;
    /** What KCL hands a processor per poll at 1,000 records/s. */
    private static final int RECORDS_PER_NOTICE = 1_000;
    /** Rounds until the JIT has compiled both paths (the first rounds are visibly slower). */
    private static final int WARM_UP_ROUNDS = 6;

    private final RedisLedger ledger;
    private final Scope scope;
    private final URI reconcile;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<List<RecordKey>> batches = new ArrayList<>();
    private final List<byte[]> bodies = new ArrayList<>();
    private final List<byte[]> bareBodies = new ArrayList<>();
    private final List<RecordKey> allKeys = new ArrayList<>();
    private int keyCount;

    private CheckerBenchmark(RedisLedger ledger, Scope scope, URI reconcile) {
        this.ledger = ledger;
        this.scope = scope;
        this.reconcile = reconcile;
    }

    public static void main(String[] args) {
        int status = 1;
        try {
            run(args);
            status = 0;
        } catch (Exception e) {
            System.err.println("bench: the checker benchmark failed: " + e);
            e.printStackTrace();
        }
        // Exit even if a library left a non-daemon thread running (a bench once hung after main had returned);
        // the local stack's shutdown hook stops its servers.
        System.exit(status);
    }

    private static void run(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int shards = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int perRequest = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        Scope scope = new Scope("bench-orders", "bench-billing");
        try (LocalStack stack = LocalStack.start(Path.of("target/checker-bench"))) {
            String redis = stack.endpoints().redis().toString();
            try (RedisLedger ledger = RedisLedger.connect(redis, false, Duration.ofHours(48));
                 ApiGatewayServer server = ApiGatewayServer.fromClassPath("checker", CheckerHandler.class.getName(),
                         Map.of("REDIS_URL", redis, "STREAM_NAME", scope.stream(), "APP_NAME", scope.app())).start(0)) {
                CheckerBenchmark bench = new CheckerBenchmark(ledger, scope, URI.create(server.url() + "/reconcile"));
                bench.fill(records, shards);
                bench.prepare(perRequest);
                bench.run(records, shards, perRequest, rounds);
            }
        }
    }

    /**
     * Records {@code records} keys through notices of 1,000 delivered records: one in 200 never processed
     * (skipped), one in 250 processed twice (a second notice), and the last 1% of each shard never delivered.
     */
    private void fill(int records, int shards) {
        long began = System.nanoTime();
        Instant created = Instant.parse("2026-11-20T10:00:00Z");
        int perShard = records / shards;
        for (int s = 0; s < shards; s++) {
            KinesisLocalSequenceNumbers numbers = new KinesisLocalSequenceNumbers(created, s);
            List<RecordKey> keys = new ArrayList<>(perShard);
            for (int i = 0; i < perShard; i++) {
                keys.add(RecordKey.of(numbers.shardId(), numbers.record(i, WRITE_RATE)));
            }
            int delivered = perShard - perShard / 100;
            for (int from = 0; from < delivered; from += RECORDS_PER_NOTICE) {
                List<RecordKey> batch = keys.subList(from, Math.min(delivered, from + RECORDS_PER_NOTICE));
                List<RecordKey> processed = new ArrayList<>(batch.size());
                List<RecordKey> twice = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    int n = from + i;
                    if (n % 200 != 7) {
                        processed.add(batch.get(i));
                    }
                    if (n % 250 == 3) {
                        twice.add(batch.get(i));
                    }
                }
                ledger.record(notice(batch, processed));
                ledger.record(notice(batch, twice));
            }
            keyCount += keys.size();
            // Shard after shard, in order: how the stream-checker asks.
            allKeys.addAll(keys);
        }
        progress("filled the ledger with %,d records over %d shards in %.1f s", records, shards,
                (System.nanoTime() - began) / 1e9);
    }

    private Notice notice(List<RecordKey> batch, List<RecordKey> processed) {
        RecordKey first = batch.get(0);
        RecordKey last = batch.get(batch.size() - 1);
        return new Notice(Notice.VERSION, UUID.randomUUID().toString(), scope.stream(), scope.app(), first.shardId(),
                "bench-worker", new DeliveredBatch(first.sequenceNumber(), last.sequenceNumber(), batch.size()),
                processed, Instant.parse("2026-11-20T10:05:00Z"));
    }

    /** Cuts the keys into requests: the same keys as parsed lists (direct) and as JSON bodies (HTTP). */
    private void prepare(int perRequest) {
        for (int from = 0; from < allKeys.size(); from += perRequest) {
            List<RecordKey> batch = List.copyOf(allKeys.subList(from, Math.min(allKeys.size(), from + perRequest)));
            batches.add(batch);
            StringBuilder json = new StringBuilder(batch.size() * 80).append('[');
            StringBuilder bare = new StringBuilder(batch.size() * 60).append('[');
            for (int i = 0; i < batch.size(); i++) {
                json.append(i == 0 ? "\"" : ",\"").append(batch.get(i)).append('"');
                bare.append(i == 0 ? "\"" : ",\"").append(batch.get(i).sequenceNumber()).append('"');
            }
            bodies.add(json.append(']').toString().getBytes(StandardCharsets.UTF_8));
            bareBodies.add(bare.append(']').toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private void run(int records, int shards, int perRequest, int rounds) throws Exception {
        verifySameAnswers();
        progress("warming up (%d rounds of each)", WARM_UP_ROUNDS);
        for (int r = 0; r < WARM_UP_ROUNDS; r++) {
            directRound();
            httpRound(bodies);
        }
        PairedRounds pairs = PairedRounds.measure("reconcile-http", 0, rounds,
                () -> keyCount / directRound(), () -> keyCount / httpRound(bodies));
        httpRound(bareBodies);
        double bestBare = 0;
        for (int r = 0; r < Math.max(2, rounds / 2); r++) {
            bestBare = Math.max(bestBare, keyCount / httpRound(bareBodies));
        }

        System.out.printf(Locale.ROOT, "%,d records over %d shards (realistic 56-digit kinesis-local sequence numbers, 0.5%% "
                + "skipped, 0.4%% duplicated, 1%% undelivered), asked in shard order, %,d keys per request, one request "
                + "at a time. HTTP: `java.net.http.HttpClient` → `ApiGatewayServer` on 127.0.0.1 → API Gateway proxy event "
                + "→ `CheckerHandler` (parse, validate, classify, write JSON) → response; direct: `RedisLedger.classify` "
                + "on the same keys already parsed. %d warm-up rounds of each, then %d paired rounds (a pass over every key on each side, back "
                + "to back, the side that goes first alternating); the ratio is the median of the rounds' ratios. Redis %s.%n%n",
                records, shards, perRequest, WARM_UP_ROUNDS, rounds, redisVersion());
        System.out.print(pairs.table("direct `classify` keys/s", "HTTP `/reconcile` keys/s"));
        System.out.printf(Locale.ROOT, "%nMedian ratio **%.2f** (min %.2f, max %.2f; target ≥ 0.5). "
                + "The seed's shape (bare sequence numbers, looked up in all %d shards) over HTTP, best of %d: %,.0f keys/s.%n%n",
                pairs.ratio().median(), pairs.ratio().min(), pairs.ratio().max(), shards, Math.max(2, rounds / 2), bestBare);
        System.out.println("```");
        System.out.printf(Locale.ROOT, "RESULT reconcile-http %s keys_per_s=%.0f direct_keys_per_s=%.0f target=0.5 keys_per_request=%d%n",
                pairs.resultFields(), pairs.subject().median(), pairs.baseline().median(), perRequest);
        System.out.println("```");
    }

    /** Both paths classify the same keys the same way before anything is timed. */
    private void verifySameAnswers() throws Exception {
        for (int i = 0; i < batches.size(); i++) {
            List<KeyStatus> direct = ledger.classify(scope, batches.get(i));
            long unprocessed = direct.stream().filter(s -> s.classification() == Classification.SKIPPED
                    || s.classification() == Classification.UNDELIVERED).count();
            long duplicated = direct.stream().filter(s -> s.classification() == Classification.DUPLICATED).count();
            String answer = post(bodies.get(i));
            JsonNode json = Fixtures.parse(answer);
            if (json.get("Unprocessed").size() != unprocessed || json.get("Duplicated").size() != duplicated
                    || json.get("Checked").asInt() != direct.size()) {
                throw new IllegalStateException("request " + i + ": HTTP and direct answers differ: " + answer.substring(0, 200));
            }
        }
        progress("HTTP and direct answers agree on all %d requests", batches.size());
    }

    /** Seconds for one pass over every batch with {@code classify}. */
    private double directRound() {
        long began = System.nanoTime();
        long classified = 0;
        for (List<RecordKey> batch : batches) {
            classified += ledger.classify(scope, batch).size();
        }
        if (classified != keyCount) {
            throw new IllegalStateException("classified " + classified + " of " + keyCount);
        }
        return (System.nanoTime() - began) / 1e9;
    }

    /** Seconds for one pass over every body through HTTP. */
    private double httpRound(List<byte[]> requestBodies) throws Exception {
        long began = System.nanoTime();
        for (byte[] body : requestBodies) {
            post(body);
        }
        return (System.nanoTime() - began) / 1e9;
    }

    private String post(byte[] body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(reconcile)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String redisVersion() {
        try {
            Process p = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int v = out.indexOf("v=");
            return v < 0 ? "?" : out.substring(v + 2, out.indexOf(' ', v));
        } catch (Exception e) {
            return "?";
        }
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "bench: " + format + "%n", args);
    }
}
