package io.streamwreck.streamchecker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.kpl.KplAggregate;
import io.streamwreck.local.standin.LocalStack;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream on kinesis-local that tests write to shard by shard (each record carries an explicit hash key inside
 * the shard's range), keeping the keys Kinesis assigned.
 */
final class TestStream {

    private final KinesisClient kinesis;
    private final String name;

    private TestStream(KinesisClient kinesis, String name) {
        this.kinesis = kinesis;
        this.name = name;
    }

    static TestStream create(LocalStack stack, String prefix, int shards) {
        String name = prefix + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
        stack.createStream(name, shards);
        return new TestStream(stack.kinesis(), name);
    }

    String name() {
        return name;
    }

    /** The stream's shards, open and closed, in shard id order. */
    List<Shard> shards() {
        List<Shard> shards = new ArrayList<>(kinesis.listShards(b -> b.streamName(name)).shards());
        shards.sort((a, b) -> a.shardId().compareTo(b.shardId()));
        return shards;
    }

    private Shard shard(String shardId) {
        return shards().stream().filter(s -> s.shardId().equals(shardId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no shard " + shardId + " in " + name));
    }

    /** Writes {@code count} plain records to the shard; their keys, in order. */
    List<RecordKey> putPlain(String shardId, int count) {
        List<byte[]> data = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            data.add(("plain record " + i + " of " + shardId).getBytes(StandardCharsets.UTF_8));
        }
        return put(shardId, data).stream().map(seq -> RecordKey.of(shardId, seq)).toList();
    }

    /** Writes one KPL-aggregated record of {@code userRecords} user records; their keys {@code shardId:seq:n}. */
    List<RecordKey> putAggregated(String shardId, int userRecords) {
        List<byte[]> data = new ArrayList<>();
        for (int i = 0; i < userRecords; i++) {
            data.add(("user record " + i).getBytes(StandardCharsets.UTF_8));
        }
        String seq = put(shardId, List.of(KplAggregate.encode("pk", data))).get(0);
        List<RecordKey> keys = new ArrayList<>();
        for (int i = 0; i < userRecords; i++) {
            keys.add(RecordKey.of(shardId, seq, i));
        }
        return keys;
    }

    /** Writes the payloads to the shard, 500 per call; the sequence numbers, in order. */
    List<String> put(String shardId, List<byte[]> data) {
        String hashKey = shard(shardId).hashKeyRange().startingHashKey();
        List<String> sequenceNumbers = new ArrayList<>();
        for (int from = 0; from < data.size(); from += 500) {
            List<PutRecordsRequestEntry> entries = data.subList(from, Math.min(data.size(), from + 500)).stream()
                    .map(d -> PutRecordsRequestEntry.builder().partitionKey("pk").explicitHashKey(hashKey)
                            .data(SdkBytes.fromByteArray(d)).build())
                    .toList();
            for (PutRecordsResultEntry r : kinesis.putRecords(b -> b.streamName(name).records(entries)).records()) {
                if (r.errorCode() != null || !r.shardId().equals(shardId)) {
                    throw new IllegalStateException("record not written to " + shardId + ": " + r);
                }
                sequenceNumbers.add(r.sequenceNumber());
            }
        }
        return sequenceNumbers;
    }
}
