package io.streamwreck.ledger;

import com.sun.management.OperatingSystemMXBean;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.Notice;
import io.streamwreck.local.bench.PairedRounds;
import io.streamwreck.local.bench.Spread;
import io.streamwreck.local.standin.LocalStack;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code make bench}: the ledger's memory per record, lookup rate against raw pipelined HMGET on the same
 * layout and keys, and record rate — on kinesis-local's own sequence numbers. Prints a Markdown report on
 * stdout ending in {@code RESULT} lines; progress on stderr.
 *
 * <p>Usage: {@code LedgerBenchmark [records] [shards] [rounds]} (default 1,000,000 over 4 shards, 7 rounds). Lookups
 * are reported as the median of {@code rounds} paired rounds ({@link PairedRounds}; within a round classify and raw
 * HMGET take turns on slices of the keys, see {@link #lookupRounds}), recording as the median of {@code rounds} passes,
 * each with its min and max.
 */
public final class LedgerBenchmark {

    private static final Duration TTL = Duration.ofHours(48);

    private final LocalStack stack;
    private final RedisLedger ledger;
    private final RedisCommands<byte[], byte[]> admin;
    private final int records;
    private final int shards;
    private final int rounds;
    private final StringBuilder report = new StringBuilder();
    private final List<String> results = new ArrayList<>();

    private LedgerBenchmark(LocalStack stack, RedisLedger ledger, RedisCommands<byte[], byte[]> admin, int records, int shards,
                            int rounds) {
        this.stack = stack;
        this.ledger = ledger;
        this.admin = admin;
        this.records = records;
        this.shards = shards;
        this.rounds = rounds;
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int shards = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        try (LocalStack stack = LocalStack.start(Path.of("target/ledger-bench"))) {
            RedisClient client = RedisClient.create(stack.endpoints().redis().toString());
            try (StatefulRedisConnection<byte[], byte[]> admin = client.connect(ByteArrayCodec.INSTANCE);
                 RedisLedger ledger = RedisLedger.connect(stack.endpoints().redis().toString(), false, TTL)) {
                new LedgerBenchmark(stack, ledger, admin.sync(), records, shards, rounds).run();
            } finally {
                client.shutdown();
            }
        }
    }

    private void run() throws Exception {
        line("Redis: " + info("server", "redis_version") + ", " + records + " records over " + shards + " shards.");
        line("");
        line("| write rate per shard | notice size | real numbers fit the model | bytes/record (real capture) | bytes/record (" + records + ") | keys per bucket | encodings |");
        line("|---:|---:|---|---:|---:|---:|---|");
        Map<String, SequenceModel> fastModels = null;
        for (int rate : new int[] {10, 1_000}) {
            int seconds = rate == 10 ? 20 : 8;
            progress("capturing %d s of kinesis-local sequence numbers at %d records/s per shard", seconds, rate);
            Map<String, List<String>> real = KinesisLocalCapture.capture(stack, "ledger-bench-" + rate, shards, rate, seconds);
            Map<String, SequenceModel> models = new LinkedHashMap<>();
            long fitting = 0;
            long total = 0;
            for (Map.Entry<String, List<String>> e : real.entrySet()) {
                SequenceModel model = SequenceModel.of(e.getValue().get(0));
                models.put(e.getKey(), model);
                for (int i = 0; i < e.getValue().size(); i++) {
                    total++;
                    fitting += model.fits(e.getValue().get(i), i) ? 1 : 0;
                }
            }
            int noticeSize = rate == 10 ? 10 : 1_000;     // what KCL hands over per 1 s poll at that rate
            double realBytes = memoryPerRecord(real, noticeSize);
            Map<String, List<String>> generated = new LinkedHashMap<>();
            models.forEach((shard, model) -> {
                List<String> seqs = new ArrayList<>(records / shards);
                for (int i = 0; i < records / shards; i++) {
                    seqs.add(model.at(i, i / rate));
                }
                generated.put(shard, seqs);
            });
            double bytes = memoryPerRecord(generated, noticeSize);
            String buckets = bucketStats();
            line(String.format(Locale.ROOT, "| %d/s | %d keys | %d of %d | %.1f | %.1f | %s |", rate, noticeSize, fitting, total,
                    realBytes, bytes, buckets));
            results.add(String.format(Locale.ROOT, "RESULT ledger-memory rate_per_shard=%d bytes_per_record=%.1f records=%d target=24",
                    rate, bytes, records));
            if (rate == 1_000) {
                fastModels = models;
            }
        }

        // Record rate: notices of 2,000 keys.
        Map<String, List<String>> data = new LinkedHashMap<>();
        fastModels.forEach((shard, model) -> {
            List<String> seqs = new ArrayList<>(records / shards);
            for (int i = 0; i < records / shards; i++) {
                seqs.add(model.at(i, i / 1_000));
            }
            data.put(shard, seqs);
        });
        // Record rate: notices of 2,000 keys, a pass per round, each on a flushed Redis; the last pass's keys are
        // the ones looked up below.
        List<Notice> notices = notices(new Scope("bench", "app"), data, 2_000);
        double[] recordRates = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            admin.flushall();
            progress("record round %d/%d: %d notices of 2,000 keys (load %.2f)", round + 1, rounds, notices.size(),
                    PairedRounds.loadAverage());
            long began = System.nanoTime();
            for (Notice n : notices) {
                ledger.record(n);
            }
            recordRates[round] = records / seconds(began);
        }
        Spread recordRate = Spread.of(recordRates);
        line("");
        line(String.format(Locale.ROOT, "Recording: %,d keys in notices of 2,000 keys (one Lua script per notice), median of %d "
                + "passes (min–max): **%s keys/s**.", records, rounds, recordRate.text("%,.0f")));
        results.add(String.format(Locale.ROOT, "RESULT ledger-record %s rounds=%d notice_keys=2000",
                recordRate.fields("keys_per_s", "%.0f"), rounds));

        // Lookups: classify vs. raw pipelined HMGET on the same layout and keys, same batches.
        List<RecordKey> keys = new ArrayList<>(records);
        data.forEach((shard, seqs) -> seqs.forEach(s -> keys.add(RecordKey.of(shard, s))));
        Scope scope = new Scope("bench", "app");
        RedisClient rawClient = RedisClient.create(stack.endpoints().redis().toString());
        try (StatefulRedisConnection<byte[], byte[]> raw = rawClient.connect(ByteArrayCodec.INSTANCE)) {
            raw.setAutoFlushCommands(false);
            for (int batch : new int[] {1_000, 10_000}) {
                List<RawBatch> rawBatches = RawBatch.of(scope, keys, batch, ledgerShift(scope, keys.get(0).shardId()));
                CpuPerKey rawCpu = new CpuPerKey();
                CpuPerKey classifyCpu = new CpuPerKey();
                PairedRounds lookups = lookupRounds(batch, keys, (from, to) ->
                        rawCpu.measure(to - from, () -> rawRate(raw, rawBatches.subList(from / batch, (to + batch - 1) / batch), to - from)),
                        (from, to) -> classifyCpu.measure(to - from, () -> classifyRate(scope, keys.subList(from, to), batch)));
                line("");
                line(String.format(Locale.ROOT, "Lookups in batches of %,d keys (target: ratio ≥ 0.85):", batch));
                line("");
                line(lookups.table("raw HMGET keys/s", "classify keys/s"));
                line("");
                line("CPU time per key, all rounds and the warm-up (ns): raw HMGET " + rawCpu.text() + "; classify "
                        + classifyCpu.text() + ".");
                results.add(String.format(Locale.ROOT, "RESULT ledger-lookup batch=%d %s keys_per_s=%.0f raw_keys_per_s=%.0f target=0.85",
                        batch, lookups.resultFields(), lookups.subject().median(), lookups.baseline().median()));
            }
        } finally {
            rawClient.shutdown();
        }
        line("");
        line("```");
        results.forEach(this::line);
        line("```");
        System.out.print(report);
        System.out.flush();
    }

    /** FLUSHALL, record the data in notices of {@code noticeSize}, and return the used_memory growth per record. */
    private double memoryPerRecord(Map<String, List<String>> data, int noticeSize) {
        admin.flushall();
        long before = Long.parseLong(info("memory", "used_memory"));
        List<Notice> notices = notices(new Scope("bench", "app"), data, noticeSize);
        long count = data.values().stream().mapToLong(List::size).sum();
        progress("recording %d records in %d notices", count, notices.size());
        for (Notice n : notices) {
            ledger.record(n);
        }
        long after = Long.parseLong(info("memory", "used_memory"));
        return (after - before) / (double) count;
    }

    private static List<Notice> notices(Scope scope, Map<String, List<String>> data, int size) {
        List<Notice> notices = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : data.entrySet()) {
            List<String> seqs = e.getValue();
            for (int from = 0; from < seqs.size(); from += size) {
                List<RecordKey> batch = new ArrayList<>();
                for (String s : seqs.subList(from, Math.min(seqs.size(), from + size))) {
                    batch.add(RecordKey.of(e.getKey(), s));
                }
                notices.add(Notices.of(scope, batch, batch));
            }
        }
        return notices;
    }

    /** Mean entries per processed bucket and the encodings of a sample of buckets. */
    private String bucketStats() {
        long buckets = 0;
        long entries = 0;
        Map<String, Integer> encodings = new LinkedHashMap<>();
        io.lettuce.core.ScanIterator<byte[]> it = io.lettuce.core.ScanIterator.scan(admin,
                io.lettuce.core.ScanArgs.Builder.limit(1000).match("sw:*:b:*".getBytes(StandardCharsets.UTF_8)));
        while (it.hasNext()) {
            byte[] key = it.next();
            buckets++;
            entries += admin.hlen(key);
            if (buckets % 50 == 1) {
                encodings.merge(admin.objectEncoding(key), 1, Integer::sum);
            }
        }
        return String.format(Locale.ROOT, "%.0f", entries / (double) buckets) + " | " + encodings;
    }

    private int ledgerShift(Scope scope, String shardId) {
        return Integer.parseInt(new String(admin.hget(LedgerLayout.metaKey(scope, shardId), "s".getBytes(StandardCharsets.US_ASCII)),
                StandardCharsets.US_ASCII));
    }

    /** Looks up the keys in {@code [from, to)} (whole batches) and returns the rate, keys/s. */
    @FunctionalInterface
    private interface Slice {
        double rate(int from, int to) throws Exception;
    }

    /** Keys per slice of a round: about 50 ms of lookups per side on this machine, whole batches. */
    private static final int SLICE_KEYS = 50_000;

    /**
     * One warm-up round (JIT), then {@link #rounds} paired rounds of raw HMGET (the baseline) and classify (the
     * subject), interleaved within each round: the keys are looked up in slices of about {@link #SLICE_KEYS}, both
     * sides back to back on each slice, the first alternating from slice to slice (and, for the first slice, from round
     * to round); each side's rate for the round is all the keys over the sum of its slices' times. Whole passes of
     * a million keys per side (a second each) let a slow spell of the shared machine land on one side only; slices
     * of 50 ms spread it over both.
     */
    private PairedRounds lookupRounds(int batch, List<RecordKey> keys, Slice baseline, Slice subject) throws Exception {
        int slice = Math.max(batch, SLICE_KEYS / batch * batch);
        PairedRounds result = new PairedRounds("ledger-lookup batch " + batch);
        for (int round = 0; round < 1 + rounds; round++) {
            boolean baselineFirst = round % 2 == 0;
            double load = PairedRounds.loadAverage();
            long[] cpuBefore = PairedRounds.cpuTimes();
            double baselineSeconds = 0;
            double subjectSeconds = 0;
            for (int from = 0, n = 0; from < keys.size(); from += slice, n++) {
                int to = Math.min(keys.size(), from + slice);
                if (baselineFirst == (n % 2 == 0)) {
                    baselineSeconds += (to - from) / baseline.rate(from, to);
                    subjectSeconds += (to - from) / subject.rate(from, to);
                } else {
                    subjectSeconds += (to - from) / subject.rate(from, to);
                    baselineSeconds += (to - from) / baseline.rate(from, to);
                }
            }
            double steal = PairedRounds.stealPercent(cpuBefore, PairedRounds.cpuTimes());
            double b = keys.size() / baselineSeconds;
            double s = keys.size() / subjectSeconds;
            if (round == 0) {
                progress("lookups in batches of %d, warm-up: raw %,.0f, classify %,.0f keys/s (%.2f)", batch, b, s, s / b);
            } else {
                result.add(b, s, baselineFirst, load, steal);
            }
        }
        return result;
    }

    private double classifyRate(Scope scope, List<RecordKey> keys, int batch) {
        long began = System.nanoTime();
        long processed = 0;
        for (int from = 0; from < keys.size(); from += batch) {
            List<RecordKey> keysOfBatch = keys.subList(from, Math.min(keys.size(), from + batch));
            // A batch of one shard, as the stream-checker sends it, unless records / shards is no multiple of the batch.
            String shard = keysOfBatch.get(0).shardId();
            boolean oneShard = shard.equals(keysOfBatch.get(keysOfBatch.size() - 1).shardId());
            for (KeyStatus s : oneShard ? ledger.classify(scope, shard, keysOfBatch) : ledger.classify(scope, keysOfBatch)) {
                processed += s.classification() == Classification.PROCESSED ? 1 : 0;
            }
        }
        if (processed != keys.size()) {
            throw new IllegalStateException("classify found " + processed + " processed of " + keys.size());
        }
        return keys.size() / seconds(began);
    }

    private static double rawRate(StatefulRedisConnection<byte[], byte[]> raw, List<RawBatch> batches, int keys) throws Exception {
        RedisAsyncCommands<byte[], byte[]> async = raw.async();
        long began = System.nanoTime();
        long found = 0;
        for (RawBatch b : batches) {
            List<RedisFuture<List<KeyValue<byte[], byte[]>>>> futures = new ArrayList<>(b.keys.size());
            for (int i = 0; i < b.keys.size(); i++) {
                futures.add(async.hmget(b.keys.get(i), b.fields.get(i)));
            }
            raw.flushCommands();
            for (RedisFuture<List<KeyValue<byte[], byte[]>>> f : futures) {
                for (KeyValue<byte[], byte[]> kv : f.get(10, TimeUnit.SECONDS)) {
                    found += kv.hasValue() ? 1 : 0;
                }
            }
        }
        if (found != keys) {
            throw new IllegalStateException("raw lookups found " + found + " of " + keys);
        }
        return keys / seconds(began);
    }

    /**
     * The CPU time one side of the lookups used per key: this JVM (the calling thread, and the rest — lettuce's event
     * loop, the GC, the JIT) and Redis (INFO cpu, read before and after, outside the timed pass). On two shared cores
     * the sides compete with Redis and with each other's threads for the same CPUs, so this is where a lower rate
     * comes from.
     */
    private final class CpuPerKey {
        private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private double jvm;
        private double caller;
        private double redis;
        private long keys;

        double measure(int keyCount, PairedRounds.Rate side) throws Exception {
            long jvmBefore = os.getProcessCpuTime();
            long callerBefore = threads.getCurrentThreadCpuTime();
            double redisBefore = redisCpuSeconds();
            double rate = side.measure();
            caller += threads.getCurrentThreadCpuTime() - callerBefore;
            jvm += os.getProcessCpuTime() - jvmBefore;
            redis += (redisCpuSeconds() - redisBefore) * 1e9;
            keys += keyCount;
            return rate;
        }

        String text() {
            return String.format(Locale.ROOT, "JVM %.0f (calling thread %.0f, the rest %.0f), Redis %.0f", jvm / keys, caller / keys,
                    (jvm - caller) / keys, redis / keys);
        }
    }

    private double redisCpuSeconds() {
        return Double.parseDouble(info("cpu", "used_cpu_user")) + Double.parseDouble(info("cpu", "used_cpu_sys"));
    }

    /** One lookup batch precomputed into HMGET arguments: what a client that already knows the layout sends. */
    private record RawBatch(List<byte[]> keys, List<byte[][]> fields) {
        static List<RawBatch> of(Scope scope, List<RecordKey> keys, int batch, int shift) {
            List<RawBatch> out = new ArrayList<>();
            for (int from = 0; from < keys.size(); from += batch) {
                Map<String, List<byte[]>> groups = new LinkedHashMap<>();
                Map<String, byte[]> bucketKeys = new LinkedHashMap<>();
                for (RecordKey k : keys.subList(from, Math.min(keys.size(), from + batch))) {
                    BigInteger n = new BigInteger(k.sequenceNumber());
                    BigInteger bucket = n.shiftRight(shift);
                    String id = k.shardId() + bucket;
                    bucketKeys.computeIfAbsent(id, x -> LedgerLayout.bucketKey(scope, k.shardId(), bucket));
                    groups.computeIfAbsent(id, x -> new ArrayList<>()).add(LedgerLayout.field(k, n, shift));
                }
                out.add(new RawBatch(new ArrayList<>(bucketKeys.values()),
                        groups.values().stream().map(l -> l.toArray(byte[][]::new)).toList()));
            }
            return out;
        }
    }

    private String info(String section, String field) {
        for (String l : admin.info(section).split("\r?\n")) {
            if (l.startsWith(field + ":")) {
                return l.substring(field.length() + 1).trim();
            }
        }
        throw new IllegalStateException("INFO " + section + " has no " + field);
    }

    private static double seconds(long began) {
        return (System.nanoTime() - began) / 1e9;
    }

    private void line(String text) {
        report.append(text).append('\n');
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "ledger-bench: " + format + "%n", args);
    }
}
