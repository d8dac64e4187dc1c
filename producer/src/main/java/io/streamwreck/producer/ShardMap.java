package io.streamwreck.producer;

import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardFilterType;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Which open shard a record goes to, computed the way Kinesis does it: the explicit hash key if the record has
 * one, else the MD5 of the partition key (UTF-8) read as a 128-bit unsigned number, looked up in the shards'
 * hash key ranges. The writer uses it to keep each shard under its rate; Kinesis makes the real choice and
 * reports it, so a stale map (after a reshard) costs only accuracy of the rate limit, never correctness.
 * Immutable.
 */
final class ShardMap {

    /** One open shard and the first hash key of its range; ranges of open shards cover the key space. */
    record Range(String shardId, BigInteger startingHashKey, BigInteger endingHashKey) {
    }

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides MD5", e);
        }
    });

    private final List<Range> ranges;
    private final BigInteger[] starts;
    private final Set<String> shardIds;

    ShardMap(List<Range> ranges) {
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("a stream has at least one open shard");
        }
        this.ranges = ranges.stream().sorted(Comparator.comparing(Range::startingHashKey)).toList();
        this.starts = this.ranges.stream().map(Range::startingHashKey).toArray(BigInteger[]::new);
        this.shardIds = this.ranges.stream().map(Range::shardId).collect(Collectors.toUnmodifiableSet());
    }

    /** Lists the stream's open shards (every page). */
    static CompletableFuture<ShardMap> load(KinesisAsyncClient kinesis, String streamName) {
        ListShardsRequest first = ListShardsRequest.builder().streamName(streamName)
                .shardFilter(f -> f.type(ShardFilterType.AT_LATEST)).build();
        return page(kinesis, first, new ArrayList<>()).thenApply(ShardMap::new);
    }

    private static CompletableFuture<List<Range>> page(KinesisAsyncClient kinesis, ListShardsRequest request, List<Range> into) {
        return kinesis.listShards(request).thenCompose((ListShardsResponse response) -> {
            for (Shard shard : response.shards()) {
                // AT_LATEST should return open shards only; the ending sequence number check guards older servers.
                if (shard.sequenceNumberRange() == null || shard.sequenceNumberRange().endingSequenceNumber() == null) {
                    into.add(new Range(shard.shardId(), new BigInteger(shard.hashKeyRange().startingHashKey()),
                            new BigInteger(shard.hashKeyRange().endingHashKey())));
                }
            }
            if (response.nextToken() == null) {
                return CompletableFuture.completedFuture(into);
            }
            // With a next token, ListShards refuses the stream name.
            return page(kinesis, ListShardsRequest.builder().nextToken(response.nextToken()).build(), into);
        });
    }

    /** The shard the record would go to. */
    String shardFor(OutgoingRecord record) {
        return shardForHash(hashKeyOf(record));
    }

    /** The shard whose range holds {@code hash}. */
    String shardForHash(BigInteger hash) {
        int i = Arrays.binarySearch(starts, hash);
        // Not found: -(insertion point) - 1; the covering range is the one before the insertion point.
        int index = i >= 0 ? i : Math.max(0, -i - 2);
        return ranges.get(index).shardId();
    }

    boolean contains(String shardId) {
        return shardIds.contains(shardId);
    }

    List<Range> ranges() {
        return ranges;
    }

    /** The record's position in the hash key space: its explicit hash key, else the hash of its partition key. */
    static BigInteger hashKeyOf(OutgoingRecord record) {
        return record.explicitHashKey().map(BigInteger::new).orElseGet(() -> hashOf(record.partitionKey()));
    }

    /** MD5 of the partition key's UTF-8 bytes as an unsigned 128-bit number. */
    static BigInteger hashOf(String partitionKey) {
        return new BigInteger(1, MD5.get().digest(partitionKey.getBytes(StandardCharsets.UTF_8)));
    }
}
