package io.streamwreck.core.ledger;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.Notice;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ledger: every processed record counted in Redis, with the ranges KCL delivered (DESIGN.md "The
 * ledger"). Thread-safe; one instance per process, built once and shared.
 *
 * <p>Layout and its reasons: {@link LedgerLayout}. Recording runs one Lua script per notice, so it is atomic
 * and, through the notice id, idempotent. Lookups are pipelined: one round trip for the processed counts
 * and, only for keys not processed, one more for the delivered ranges.
 */
public final class RedisLedger implements AutoCloseable {

    private static final LuaScript RECORD = LuaScript.load("/io/streamwreck/core/ledger/record-notice.lua");
    private static final byte[] SHIFT_FIELD = "s".getBytes(StandardCharsets.US_ASCII);
    /** A shard's shift never changes while its keys live; re-read it now and then in case they expired. */
    private static final long SHIFT_CACHE_NANOS = Duration.ofMinutes(10).toNanos();

    private final LedgerConnection redis;
    private final long ttlSeconds;
    private final Map<String, CachedShift> shifts = new ConcurrentHashMap<>();

    private record CachedShift(int shift, long at) {
    }

    private RedisLedger(LedgerConnection redis, Duration ttl) {
        this.redis = redis;
        this.ttlSeconds = Math.max(1, ttl.toSeconds());
    }

    /**
     * Connects to the ledger.
     *
     * @param url     {@code redis://[:token@]host:port} or {@code rediss://…} (TLS)
     * @param cluster whether {@code url} is a Redis Cluster (ElastiCache cluster mode) node
     * @param ttl     how long every key lives after its last write: stream retention plus a margin
     * @throws LedgerUnavailableException when Redis cannot be reached
     */
    public static RedisLedger connect(String url, boolean cluster, Duration ttl) {
        return new RedisLedger(LedgerConnection.open(Objects.requireNonNull(url, "a Redis URL is required"), cluster,
                Duration.ofSeconds(10)), ttl);
    }

    /** Where the ledger is, for messages (never includes the AUTH token). */
    public String where() {
        return redis.where();
    }

    /** Whether Redis answers. */
    public boolean ping() {
        try {
            return "PONG".equals(redis.call(c -> c.ping()));
        } catch (LedgerUnavailableException e) {
            return false;
        }
    }

    /**
     * Records one notice: its delivered range, and one more processing of each key it lists. Atomic; a
     * notice recorded before (same id) changes nothing.
     *
     * @throws LedgerUnavailableException when Redis fails; nothing or everything of the notice was recorded,
     *                                    so the caller may simply retry
     */
    public RecordOutcome record(Notice notice) {
        Scope scope = new Scope(notice.stream(), notice.app());
        String shardId = notice.shardId();
        byte[] shardsKey = LedgerLayout.shardsKey(scope);
        redis.<Object>pipelined(c -> List.of(
                c.sadd(shardsKey, shardId.getBytes(StandardCharsets.US_ASCII)),
                c.expire(shardsKey, ttlSeconds)));

        String tag = LedgerLayout.shardTag(scope, shardId);
        CachedShift cached = shifts.get(tag);
        int shift = cached != null ? cached.shift()
                : LedgerLayout.shiftFor(notice.batch().first(), notice.batch().last(), notice.batch().received());
        for (int attempt = 0; attempt < 3; attempt++) {
            RecordCall call = RecordCall.of(scope, notice, shift, ttlSeconds);
            List<Object> answer = redis.script(RECORD, call.keys(), call.args());
            long code = (Long) answer.get(0);
            if (code == -1) {
                // Another notice chose this shard's bucket width first: lay the keys out the same way.
                shift = ((Long) answer.get(1)).intValue();
                shifts.put(tag, new CachedShift(shift, System.nanoTime()));
                continue;
            }
            shifts.put(tag, new CachedShift(shift, System.nanoTime()));
            if (code == 0) {
                return RecordOutcome.ALREADY_RECORDED;
            }
            return new RecordOutcome(true, ((Long) answer.get(1)).intValue(), ((Long) answer.get(2)).intValue());
        }
        throw new IllegalStateException("shard " + shardId + " of " + scope + " changed its bucket width during a write");
    }

    /**
     * Classifies each key as processed, duplicated, skipped or undelivered.
     *
     * @return one status per key, in the order given
     * @throws LedgerUnavailableException when Redis fails
     */
    public List<KeyStatus> classify(Scope scope, List<RecordKey> keys) {
        KeyStatus[] out = new KeyStatus[keys.size()];
        Map<String, List<Integer>> byShard = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            byShard.computeIfAbsent(keys.get(i).shardId(), s -> new ArrayList<>()).add(i);
        }
        Map<String, Integer> shardShifts = shiftsOf(scope, byShard.keySet());

        // Round trip 1: the processed counts, one HMGET per bucket.
        Map<BucketRef, List<Integer>> byBucket = new LinkedHashMap<>();
        Map<Integer, byte[]> fields = new HashMap<>(keys.size() * 2);
        BigInteger[] sequences = new BigInteger[keys.size()];
        for (Map.Entry<String, List<Integer>> shard : byShard.entrySet()) {
            Integer shift = shardShifts.get(shard.getKey());
            for (int i : shard.getValue()) {
                if (shift == null) {
                    // The scope never recorded anything for this shard.
                    out[i] = new KeyStatus(keys.get(i), Classification.UNDELIVERED, 0);
                    continue;
                }
                sequences[i] = new BigInteger(keys.get(i).sequenceNumber());
                fields.put(i, LedgerLayout.field(keys.get(i), sequences[i], shift));
                byBucket.computeIfAbsent(new BucketRef(shard.getKey(), sequences[i].shiftRight(shift)), b -> new ArrayList<>()).add(i);
            }
        }
        List<BucketRef> buckets = new ArrayList<>(byBucket.keySet());
        List<List<KeyValue<byte[], byte[]>>> counts = redis.pipelined(c -> {
            List<RedisFuture<List<KeyValue<byte[], byte[]>>>> futures = new ArrayList<>(buckets.size());
            for (BucketRef b : buckets) {
                List<Integer> members = byBucket.get(b);
                byte[][] f = new byte[members.size()][];
                for (int j = 0; j < f.length; j++) {
                    f[j] = fields.get(members.get(j));
                }
                futures.add(c.hmget(LedgerLayout.bucketKey(scope, b.shardId(), b.bucket()), f));
            }
            return futures;
        });
        List<Integer> notProcessed = new ArrayList<>();
        for (int bi = 0; bi < buckets.size(); bi++) {
            List<Integer> members = byBucket.get(buckets.get(bi));
            List<KeyValue<byte[], byte[]>> values = counts.get(bi);
            for (int j = 0; j < members.size(); j++) {
                int i = members.get(j);
                KeyValue<byte[], byte[]> v = values.get(j);
                if (v.hasValue()) {
                    long count = Long.parseLong(new String(v.getValue(), StandardCharsets.US_ASCII));
                    out[i] = new KeyStatus(keys.get(i), count >= 2 ? Classification.DUPLICATED : Classification.PROCESSED, count);
                } else {
                    notProcessed.add(i);
                }
            }
        }
        if (!notProcessed.isEmpty()) {
            classifyUnprocessed(scope, keys, notProcessed, sequences, shardShifts, out);
        }
        return List.of(out);
    }

    /** Round trip 2: skipped or undelivered, from the delivered ranges of each key's range bucket and the wide set. */
    private void classifyUnprocessed(Scope scope, List<RecordKey> keys, List<Integer> indexes, BigInteger[] sequences,
                                     Map<String, Integer> shardShifts, KeyStatus[] out) {
        Map<BucketRef, Integer> rangeKeys = new LinkedHashMap<>();
        Set<String> shardsWithWide = new TreeSet<>();
        for (int i : indexes) {
            String shard = keys.get(i).shardId();
            int bits = DeliveredRanges.rangeShift(shardShifts.get(shard));
            rangeKeys.putIfAbsent(new BucketRef(shard, sequences[i].shiftRight(bits)), rangeKeys.size());
            shardsWithWide.add(shard);
        }
        List<BucketRef> rangeRefs = new ArrayList<>(rangeKeys.keySet());
        List<String> wideShards = new ArrayList<>(shardsWithWide);
        List<List<byte[]>> answers = redis.pipelined(c -> {
            List<RedisFuture<List<byte[]>>> futures = new ArrayList<>();
            for (BucketRef r : rangeRefs) {
                futures.add(c.zrange(LedgerLayout.rangeKey(scope, r.shardId(), r.bucket()), 0, -1));
            }
            for (String shard : wideShards) {
                futures.add(c.zrange(LedgerLayout.wideRangeKey(scope, shard), 0, -1));
            }
            return futures;
        });
        Map<String, List<byte[]>> wide = new HashMap<>();
        for (int w = 0; w < wideShards.size(); w++) {
            wide.put(wideShards.get(w), answers.get(rangeRefs.size() + w));
        }
        for (int i : indexes) {
            String shard = keys.get(i).shardId();
            int bits = DeliveredRanges.rangeShift(shardShifts.get(shard));
            List<byte[]> ranges = answers.get(rangeKeys.get(new BucketRef(shard, sequences[i].shiftRight(bits))));
            boolean delivered = DeliveredRanges.contains(ranges, LedgerLayout.lowBits(sequences[i], bits))
                    || DeliveredRanges.contains(wide.get(shard), DeliveredRanges.wide(sequences[i]));
            out[i] = new KeyStatus(keys.get(i), delivered ? Classification.SKIPPED : Classification.UNDELIVERED, 0);
        }
    }

    /** The bucket shift of each shard the scope has recorded; shards it never recorded are absent. */
    private Map<String, Integer> shiftsOf(Scope scope, Collection<String> shardIds) {
        Map<String, Integer> result = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        long now = System.nanoTime();
        for (String shard : shardIds) {
            CachedShift c = shifts.get(LedgerLayout.shardTag(scope, shard));
            if (c != null && now - c.at() < SHIFT_CACHE_NANOS) {
                result.put(shard, c.shift());
            } else {
                unknown.add(shard);
            }
        }
        if (!unknown.isEmpty()) {
            List<byte[]> answers = redis.pipelined(c -> {
                List<RedisFuture<byte[]>> futures = new ArrayList<>();
                for (String shard : unknown) {
                    futures.add(c.hget(LedgerLayout.metaKey(scope, shard), SHIFT_FIELD));
                }
                return futures;
            });
            for (int i = 0; i < unknown.size(); i++) {
                byte[] value = answers.get(i);
                if (value != null) {
                    int shift = Integer.parseInt(new String(value, StandardCharsets.US_ASCII));
                    result.put(unknown.get(i), shift);
                    shifts.put(LedgerLayout.shardTag(scope, unknown.get(i)), new CachedShift(shift, now));
                }
            }
        }
        return result;
    }

    /**
     * Finds the shards of bare sequence numbers (the seed's request shape): a number belongs to a shard of
     * the scope where it was processed or delivered.
     *
     * @return for each number, the shards it was found in, sorted: none (unknown), one, or several (ambiguous)
     */
    public Map<String, List<String>> resolve(Scope scope, Collection<String> sequenceNumbers) {
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (String sequence : sequenceNumbers) {
            found.put(RecordKey.validateSequenceNumber(sequence), new ArrayList<>());
        }
        for (String shard : shards(scope)) {
            List<RecordKey> keys = new ArrayList<>(found.size());
            for (String sequence : found.keySet()) {
                keys.add(RecordKey.of(shard, sequence));
            }
            for (KeyStatus status : classify(scope, keys)) {
                if (status.classification() != Classification.UNDELIVERED) {
                    found.get(status.key().sequenceNumber()).add(shard);
                }
            }
        }
        return found;
    }

    /** The shards the scope has recorded notices for, sorted. */
    public List<String> shards(Scope scope) {
        Set<byte[]> members = redis.call(c -> c.smembers(LedgerLayout.shardsKey(scope)));
        TreeMap<String, Boolean> sorted = new TreeMap<>();
        for (byte[] m : members) {
            sorted.put(new String(m, StandardCharsets.US_ASCII), Boolean.TRUE);
        }
        return List.copyOf(sorted.keySet());
    }

    @Override
    public void close() {
        redis.close();
    }

    /** A bucket (or range bucket) of one shard. */
    private record BucketRef(String shardId, BigInteger bucket) {
    }
}
