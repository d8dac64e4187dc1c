package io.streamwreck.producer;

import io.streamwreck.core.RecordKey;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Test support: everything a stream holds, read from TRIM_HORIZON on every shard with GetRecords (except the
 * filler records {@link PartialFailureInjector} may add).
 */
public final class StreamContents {

    /** One record as GetRecords returned it. */
    public record StoredRecord(RecordKey key, String data, String partitionKey, Instant arrival) {
    }

    private StreamContents() {
    }

    public static List<StoredRecord> readAll(KinesisClient kinesis, String stream) {
        List<StoredRecord> all = new ArrayList<>();
        for (Shard shard : shards(kinesis, stream)) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
                for (Record r : page.records()) {
                    if (r.partitionKey().equals(PartialFailureInjector.FILLER_KEY)) {
                        continue;
                    }
                    all.add(new StoredRecord(RecordKey.of(shard.shardId(), r.sequenceNumber()), new String(r.data().asByteArrayUnsafe(), StandardCharsets.ISO_8859_1),
                            r.partitionKey(), r.approximateArrivalTimestamp()));
                }
                // The stream is idle while a test reads it: an empty page means the shard's end was reached.
                iterator = page.records().isEmpty() ? null : page.nextShardIterator();
            }
        }
        return all;
    }

    /** Every shard, open or closed, page by page. */
    static List<Shard> shards(KinesisClient kinesis, String stream) {
        List<Shard> shards = new ArrayList<>();
        ListShardsResponse page = kinesis.listShards(b -> b.streamName(stream));
        shards.addAll(page.shards());
        while (page.nextToken() != null) {
            String token = page.nextToken();
            page = kinesis.listShards(b -> b.nextToken(token));
            shards.addAll(page.shards());
        }
        return shards;
    }
}
