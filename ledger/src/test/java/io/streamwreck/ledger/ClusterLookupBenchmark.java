package io.streamwreck.ledger;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.streamwreck.core.RecordKey;
import io.streamwreck.local.standin.RedisCluster;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Lookup rate on a Redis Cluster (3 masters + 3 replicas, local): {@code classify} against raw pipelined HMGET
 * of the same buckets and fields, the raw side three ways — on a cluster connection with auto-flush off (the
 * ledger's pipelining before lettuce #2420 was worked around), on a cluster connection with auto-flush on, and on
 * the key's node connection with auto-flush off (what the ledger's lanes do now). Same batches, same run, the
 * order rotating each round; round 0 warms up. Prints best and median keys/s per batch size.
 *
 * <p>Usage: {@code ClusterLookupBenchmark [keys] [rounds]} (default 200,000 over 4 shards, 7 rounds).
 */
public final class ClusterLookupBenchmark {

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int shards = 4;
        try (RedisCluster cluster = RedisCluster.start(Path.of("target", "cluster-bench-" + System.nanoTime()));
             RedisLedger ledger = RedisLedger.connect(cluster.nodeUris().get(0).toString(), true, Duration.ofHours(48))) {
            Scope scope = new Scope("bench", "app");
            List<RecordKey> keys = new ArrayList<>();
            for (int s = 0; s < shards; s++) {
                List<RecordKey> shardKeys = LedgerContract.keys(LedgerContract.shard(s), 0, records / shards);
                for (int from = 0; from < shardKeys.size(); from += 2_000) {
                    List<RecordKey> batch = shardKeys.subList(from, Math.min(shardKeys.size(), from + 2_000));
                    ledger.record(Notices.of(scope, batch, batch));
                }
                keys.addAll(shardKeys);
            }
            RedisClusterClient client = RedisClusterClient.create(cluster.nodeUris().get(0).toString());
            try (StatefulRedisClusterConnection<byte[], byte[]> noFlush = client.connect(ByteArrayCodec.INSTANCE);
                 StatefulRedisClusterConnection<byte[], byte[]> autoFlush = client.connect(ByteArrayCodec.INSTANCE);
                 StatefulRedisClusterConnection<byte[], byte[]> router = client.connect(ByteArrayCodec.INSTANCE)) {
                noFlush.setAutoFlushCommands(false);
                Map<String, StatefulRedisConnection<byte[], byte[]>> nodes = new LinkedHashMap<>();
                for (int batch : new int[] {1_000, 10_000}) {
                    List<RawBatch> raw = RawBatch.of(scope, keys, batch, ledger);
                    String[] names = {"classify", "raw cluster, auto-flush off (old)", "raw cluster, auto-flush on", "raw node lanes (new)"};
                    double[][] rates = new double[names.length][rounds];
                    for (int round = 0; round < rounds; round++) {
                        for (int k = 0; k < names.length; k++) {
                            int m = (k + round) % names.length;
                            rates[m][round] = switch (m) {
                                case 0 -> classifyRate(ledger, scope, keys, batch);
                                case 1 -> rawRate(raw, keys.size(), (key) -> noFlush.async(), noFlush::flushCommands);
                                case 2 -> rawRate(raw, keys.size(), (key) -> autoFlush.async(), () -> { });
                                default -> nodeRate(raw, keys.size(), router, nodes);
                            };
                        }
                        int fRound = round;
                        System.err.printf(Locale.ROOT, "batch %d round %d: %s%n", batch, round,
                                Arrays.toString(Arrays.stream(rates).mapToLong(r -> Math.round(r[fRound])).toArray()));
                    }
                    for (int m = 0; m < names.length; m++) {
                        double[] measured = Arrays.copyOfRange(rates[m], 1, rounds);
                        Arrays.sort(measured);
                        System.out.printf(Locale.ROOT, "RESULT cluster-lookup batch=%d mode=\"%s\" best_keys_per_s=%.0f median_keys_per_s=%.0f rounds=%s%n",
                                batch, names[m], measured[measured.length - 1], measured[measured.length / 2],
                                Arrays.toString(Arrays.stream(rates[m]).mapToLong(Math::round).toArray()));
                    }
                }
            } finally {
                client.shutdown();
            }
        }
    }

    private static double classifyRate(RedisLedger ledger, Scope scope, List<RecordKey> keys, int batch) {
        long began = System.nanoTime();
        long processed = 0;
        for (int from = 0; from < keys.size(); from += batch) {
            for (KeyStatus s : ledger.classify(scope, keys.subList(from, Math.min(keys.size(), from + batch)))) {
                processed += s.classification() == Classification.PROCESSED ? 1 : 0;
            }
        }
        check(processed, keys.size());
        return keys.size() / seconds(began);
    }

    interface Commands {
        RedisClusterAsyncCommands<byte[], byte[]> forKey(byte[] key);
    }

    private static double rawRate(List<RawBatch> batches, int keys, Commands commands, Runnable flush) throws Exception {
        long began = System.nanoTime();
        long found = 0;
        for (RawBatch b : batches) {
            List<RedisFuture<List<KeyValue<byte[], byte[]>>>> futures = new ArrayList<>(b.keys.size());
            for (int i = 0; i < b.keys.size(); i++) {
                futures.add(commands.forKey(b.keys.get(i)).hmget(b.keys.get(i), b.fields.get(i)));
            }
            flush.run();
            for (RedisFuture<List<KeyValue<byte[], byte[]>>> f : futures) {
                for (KeyValue<byte[], byte[]> kv : f.get(10, TimeUnit.SECONDS)) {
                    found += kv.hasValue() ? 1 : 0;
                }
            }
        }
        check(found, keys);
        return keys / seconds(began);
    }

    /** Raw HMGETs on each key's master's own connection (awaited, auto-flush off), one flush per node used. */
    private static double nodeRate(List<RawBatch> batches, int keys, StatefulRedisClusterConnection<byte[], byte[]> router,
                                   Map<String, StatefulRedisConnection<byte[], byte[]>> nodes) throws Exception {
        long began = System.nanoTime();
        long found = 0;
        for (RawBatch b : batches) {
            List<RedisFuture<List<KeyValue<byte[], byte[]>>>> futures = new ArrayList<>(b.keys.size());
            List<StatefulRedisConnection<byte[], byte[]>> used = new ArrayList<>(3);
            for (int i = 0; i < b.keys.size(); i++) {
                String nodeId = router.getPartitions().getMasterBySlot(SlotHash.getSlot(b.keys.get(i))).getNodeId();
                StatefulRedisConnection<byte[], byte[]> node = nodes.get(nodeId);
                if (node == null) {
                    node = router.getConnectionAsync(nodeId).get(10, TimeUnit.SECONDS);
                    node.setAutoFlushCommands(false);
                    nodes.put(nodeId, node);
                }
                if (!used.contains(node)) {
                    used.add(node);
                }
                futures.add(node.async().hmget(b.keys.get(i), b.fields.get(i)));
            }
            used.forEach(StatefulRedisConnection::flushCommands);
            for (RedisFuture<List<KeyValue<byte[], byte[]>>> f : futures) {
                for (KeyValue<byte[], byte[]> kv : f.get(10, TimeUnit.SECONDS)) {
                    found += kv.hasValue() ? 1 : 0;
                }
            }
        }
        check(found, keys);
        return keys / seconds(began);
    }

    private static void check(long found, long expected) {
        if (found != expected) {
            throw new IllegalStateException("found " + found + " processed of " + expected);
        }
    }

    private static double seconds(long began) {
        return (System.nanoTime() - began) / 1e9;
    }

    /** One lookup batch precomputed into HMGET arguments. */
    private record RawBatch(List<byte[]> keys, List<byte[][]> fields) {
        static List<RawBatch> of(Scope scope, List<RecordKey> keys, int batch, RedisLedger ledger) {
            Map<String, Integer> shifts = new LinkedHashMap<>();
            List<RawBatch> out = new ArrayList<>();
            for (int from = 0; from < keys.size(); from += batch) {
                Map<String, List<byte[]>> groups = new LinkedHashMap<>();
                Map<String, byte[]> bucketKeys = new LinkedHashMap<>();
                for (RecordKey k : keys.subList(from, Math.min(keys.size(), from + batch))) {
                    int shift = shifts.computeIfAbsent(k.shardId(), s -> shiftOf(ledger, scope, s));
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

        private static int shiftOf(RedisLedger ledger, Scope scope, String shard) {
            RedisClusterClient c = RedisClusterClient.create(ledger.where().replace(" (cluster)", ""));
            try (StatefulRedisClusterConnection<byte[], byte[]> conn = c.connect(ByteArrayCodec.INSTANCE)) {
                return Integer.parseInt(new String(conn.sync().hget(LedgerLayout.metaKey(scope, shard),
                        "s".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII));
            } finally {
                c.shutdown();
            }
        }
    }
}
