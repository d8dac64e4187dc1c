package io.streamwreck.ledger;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.Notice;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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

    private static final LuaScript RECORD = LuaScript.load("/io/streamwreck/ledger/record-notice.lua");
    private static final byte[] SHIFT_FIELD = "s".getBytes(StandardCharsets.US_ASCII);
    /** A shard's shift never changes while its keys live; re-read it now and then in case they expired. */
    private static final long SHIFT_CACHE_NANOS = Duration.ofMinutes(10).toNanos();

    private final LedgerConnection redis;
    private final long ttlSeconds;
    private final Map<String, CachedShift> shifts = new ConcurrentHashMap<>();
    /** When each shard was last added to its scope's shard index, by hash tag. */
    private final Map<String, Long> registered = new ConcurrentHashMap<>();
    private static final long REGISTER_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

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
        return connect(url, cluster, ttl, DEFAULT_COMMAND_TIMEOUT);
    }

    /**
     * Connects with a command timeout of one's own: a Lambda wants it well below its function timeout, a
     * checker below its request timeout.
     */
    public static RedisLedger connect(String url, boolean cluster, Duration ttl, Duration commandTimeout) {
        return new RedisLedger(LedgerConnection.open(Objects.requireNonNull(url, "a Redis URL is required"), cluster,
                commandTimeout), ttl);
    }

    /** How long a command may take before the ledger counts as unavailable, unless the caller says otherwise. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);

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
        String tag = LedgerLayout.shardTag(scope, shardId);
        registerShard(scope, shardId, tag);
        CachedShift cached = shifts.get(tag);
        int shift = cached != null ? cached.shift()
                : LedgerLayout.shiftFor(notice.batch().first(), notice.batch().last(), notice.batch().received());
        for (int attempt = 0; attempt < 3; attempt++) {
            RecordCall call = RecordCall.of(scope, notice, shift, ttlSeconds);
            List<Object> answer = redis.replicatedScript(RECORD, call.keys(), call.args());
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
     * Adds the shard to the scope's shard index (another slot than the shard's keys, so not in the script),
     * at most once a minute per shard: the index only has to exist and keep its TTL, and re-adding it with
     * every notice would double the round trips of small notices.
     */
    private void registerShard(Scope scope, String shardId, String tag) {
        long now = System.nanoTime();
        Long last = registered.get(tag);
        if (last != null && now - last < REGISTER_EVERY_NANOS) {
            return;
        }
        byte[] shardsKey = LedgerLayout.shardsKey(scope);
        redis.<Object>pipelined(b -> {
            b.add(shardsKey, c -> c.sadd(shardsKey, shardId.getBytes(StandardCharsets.US_ASCII)));
            b.add(shardsKey, c -> c.expire(shardsKey, ttlSeconds));
        });
        registered.put(tag, now);
    }

    /**
     * Classifies each key as processed, duplicated, skipped or undelivered. Keys of several shards may come in any
     * order; they are looked up shard by shard (in stream order within a shard is fastest).
     *
     * @return one status per key, in the order given
     * @throws LedgerUnavailableException when Redis fails
     */
    public List<KeyStatus> classify(Scope scope, List<RecordKey> keys) {
        String first = keys.isEmpty() ? null : keys.get(0).shardId();
        boolean oneShard = true;
        for (RecordKey k : keys) {
            if (!k.shardId().equals(first)) {
                oneShard = false;
                break;
            }
        }
        if (oneShard) {
            return first == null ? List.of() : classifyShard(scope, first, keys);
        }
        Map<String, ShardIndexes> byShard = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            byShard.computeIfAbsent(keys.get(i).shardId(), s -> new ShardIndexes()).add(i);
        }
        Map<String, Integer> shardShifts = shiftsOf(scope, byShard.keySet());
        Lookup lookup = new Lookup(scope, keys);
        for (Map.Entry<String, ShardIndexes> shard : byShard.entrySet()) {
            lookup.shard(shard.getKey(), shardShifts.get(shard.getKey()), shard.getValue().indexes, shard.getValue().size);
        }
        return lookup.finish(shardShifts);
    }

    /**
     * Classifies keys that all belong to one shard, as a caller that reads or batches by shard has them: nothing
     * to group, one bucket shift. Same answers as {@link #classify(Scope, List)}.
     *
     * @return one status per key, in the order given
     * @throws IllegalArgumentException   when a key is of another shard
     * @throws LedgerUnavailableException when Redis fails
     */
    public List<KeyStatus> classify(Scope scope, String shardId, List<RecordKey> keys) {
        for (RecordKey key : keys) {
            if (!key.shardId().equals(shardId)) {
                throw new IllegalArgumentException("key " + key + " is not of shard " + shardId);
            }
        }
        return keys.isEmpty() ? List.of() : classifyShard(scope, shardId, keys);
    }

    private List<KeyStatus> classifyShard(Scope scope, String shardId, List<RecordKey> keys) {
        Map<String, Integer> shardShifts = shiftsOf(scope, List.of(shardId));
        Lookup lookup = new Lookup(scope, keys);
        lookup.shard(shardId, shardShifts.get(shardId), null, keys.size());
        return lookup.finish(shardShifts);
    }

    /** Where one shard's keys are in a request of several shards. */
    private static final class ShardIndexes {
        int[] indexes = new int[16];
        int size;

        void add(int index) {
            if (size == indexes.length) {
                indexes = Arrays.copyOf(indexes, size * 2);
            }
            indexes[size++] = index;
        }
    }

    /**
     * A lookup is sent in about this many flushes, of at least {@link #MIN_CHUNK_KEYS} keys (and whole buckets):
     * enough to keep Redis busy while the rest is prepared, few enough that each write carries many commands.
     */
    private static final int CHUNKS = 8;
    private static final int MIN_CHUNK_KEYS = 256;

    /**
     * One classify call. Round trip 1: the processed counts, one HMGET per bucket, sent in chunks so that Redis
     * answers one chunk while the next is being prepared; round trip 2, only for keys not processed: the
     * delivered ranges.
     */
    private final class Lookup {
        final Scope scope;
        final List<RecordKey> keys;
        final KeyStatus[] out;
        final List<BucketLookup> sent = new ArrayList<>();
        final Map<String, BucketLookup> open = new HashMap<>();
        final int chunk;
        int inChunk;

        Lookup(Scope scope, List<RecordKey> keys) {
            this.scope = scope;
            this.keys = keys;
            this.out = new KeyStatus[keys.size()];
            this.chunk = Math.max(MIN_CHUNK_KEYS, keys.size() / CHUNKS);
        }

        /** Queues the HMGETs of one shard's keys: the first {@code n} of {@code indexes} into {@link #keys}, or all keys (null). */
        void shard(String shardId, Integer shift, int[] indexes, int n) {
            if (shift == null) {
                // The scope never recorded anything for this shard.
                for (int j = 0; j < n; j++) {
                    int i = indexes == null ? j : indexes[j];
                    out[i] = new KeyStatus(keys.get(i), Classification.UNDELIVERED, 0);
                }
                return;
            }
            String bucketPrefix = LedgerLayout.bucketKeyPrefix(scope, shardId);
            BucketCutter cutter = new BucketCutter(shift);
            BucketLookup lookup = null;
            for (int j = 0; j < n; j++) {
                int i = indexes == null ? j : indexes[j];
                RecordKey key = keys.get(i);
                // Keys in stream order mostly share the previous key's bucket: no key to build, nothing to hash.
                if (!cutter.next(key.sequenceNumber()) || lookup == null) {
                    if (inChunk >= chunk) {
                        // A full chunk goes when a new bucket begins, so that no bucket costs two HMGETs.
                        send();
                    }
                    String bucketKey = bucketPrefix + cutter.bucketHex();
                    lookup = open.get(bucketKey);
                    if (lookup == null) {
                        lookup = new BucketLookup(LedgerLayout.utf8(bucketKey));
                        open.put(bucketKey, lookup);
                    }
                }
                lookup.add(i, cutter.field(key));
                inChunk++;
            }
        }

        private void send() {
            inChunk = 0;
            if (open.isEmpty()) {
                return;
            }
            List<BucketLookup> batch = new ArrayList<>(open.values());
            open.clear();
            redis.<long[]>send(b -> {
                for (BucketLookup l : batch) {
                    l.answer = b.add(l.key, l::hmget);
                }
            });
            sent.addAll(batch);
        }

        List<KeyStatus> finish(Map<String, Integer> shardShifts) {
            send();
            List<Integer> notProcessed = new ArrayList<>();
            for (BucketLookup l : sent) {
                long[] counts = redis.await(l.answer);
                for (int j = 0; j < l.size; j++) {
                    int i = l.indexes[j];
                    long count = counts[j];
                    if (count != CountsOutput.ABSENT) {
                        out[i] = new KeyStatus(keys.get(i), count >= 2 ? Classification.DUPLICATED : Classification.PROCESSED, count);
                    } else {
                        notProcessed.add(i);
                    }
                }
            }
            if (!notProcessed.isEmpty()) {
                classifyUnprocessed(scope, keys, notProcessed, shardShifts, out);
            }
            return Arrays.asList(out);
        }
    }

    /** The keys of one bucket asked about in one HMGET, and the answer. */
    private static final class BucketLookup {
        final byte[] key;
        int[] indexes = new int[8];
        byte[][] fields = new byte[8][];
        int size;
        LedgerConnection.Queued<long[]> answer;

        BucketLookup(byte[] key) {
            this.key = key;
        }

        void add(int index, byte[] field) {
            if (size == indexes.length) {
                indexes = Arrays.copyOf(indexes, size * 2);
                fields = Arrays.copyOf(fields, size * 2);
            }
            indexes[size] = index;
            fields[size++] = field;
        }

        /** HMGET of the fields, answered as counts ({@link CountsOutput}); a new command each time (a redirect resends it). */
        RedisFuture<long[]> hmget(RedisClusterAsyncCommands<byte[], byte[]> commands) {
            CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key);
            for (int j = 0; j < size; j++) {
                args.addKey(fields[j]);
            }
            return commands.dispatch(CommandType.HMGET, new CountsOutput(size), args);
        }
    }

    /** Round trip 2: skipped or undelivered, from the delivered ranges of each key's range bucket and the wide set. */
    private void classifyUnprocessed(Scope scope, List<RecordKey> keys, List<Integer> indexes,
                                     Map<String, Integer> shardShifts, KeyStatus[] out) {
        Map<Integer, BigInteger> sequences = new HashMap<>();
        for (int i : indexes) {
            sequences.put(i, new BigInteger(keys.get(i).sequenceNumber()));
        }
        Map<BucketRef, Integer> rangeKeys = new LinkedHashMap<>();
        Set<String> shardsWithWide = new TreeSet<>();
        for (int i : indexes) {
            String shard = keys.get(i).shardId();
            int bits = DeliveredRanges.rangeShift(shardShifts.get(shard));
            rangeKeys.putIfAbsent(new BucketRef(shard, sequences.get(i).shiftRight(bits)), rangeKeys.size());
            shardsWithWide.add(shard);
        }
        List<BucketRef> rangeRefs = new ArrayList<>(rangeKeys.keySet());
        List<String> wideShards = new ArrayList<>(shardsWithWide);
        List<List<byte[]>> answers = redis.<List<byte[]>>pipelined(b -> {
            for (BucketRef r : rangeRefs) {
                byte[] key = LedgerLayout.rangeKey(scope, r.shardId(), r.bucket());
                b.add(key, c -> c.zrange(key, 0, -1));
            }
            for (String shard : wideShards) {
                byte[] key = LedgerLayout.wideRangeKey(scope, shard);
                b.add(key, c -> c.zrange(key, 0, -1));
            }
        });
        Map<String, List<byte[]>> wide = new HashMap<>();
        for (int w = 0; w < wideShards.size(); w++) {
            wide.put(wideShards.get(w), answers.get(rangeRefs.size() + w));
        }
        for (int i : indexes) {
            String shard = keys.get(i).shardId();
            int bits = DeliveredRanges.rangeShift(shardShifts.get(shard));
            List<byte[]> ranges = answers.get(rangeKeys.get(new BucketRef(shard, sequences.get(i).shiftRight(bits))));
            boolean delivered = DeliveredRanges.contains(ranges, LedgerLayout.lowBits(sequences.get(i), bits))
                    || DeliveredRanges.contains(wide.get(shard), DeliveredRanges.wide(sequences.get(i)));
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
            List<byte[]> answers = redis.<byte[]>pipelined(b -> {
                for (String shard : unknown) {
                    byte[] key = LedgerLayout.metaKey(scope, shard);
                    b.add(key, c -> c.hget(key, SHIFT_FIELD));
                }
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
            for (KeyStatus status : classify(scope, shard, keys)) {
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
        TreeSet<String> sorted = new TreeSet<>();
        for (byte[] m : members) {
            sorted.add(new String(m, StandardCharsets.US_ASCII));
        }
        return List.copyOf(sorted);
    }

    @Override
    public void close() {
        redis.close();
    }

    /** A bucket (or range bucket) of one shard. */
    private record BucketRef(String shardId, BigInteger bucket) {
    }
}
