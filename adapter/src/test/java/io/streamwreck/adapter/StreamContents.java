package io.streamwreck.adapter;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a whole (small) stream: every record's key and partition key. */
final class StreamContents {

    record Entry(String key, String partitionKey, SdkBytes data) {
    }

    private StreamContents() {
    }

    static List<Entry> read(KinesisClient kinesis, String stream) {
        List<Entry> out = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String it = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (it != null) {
                String current = it;
                GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
                for (Record rec : r.records()) {
                    out.add(new Entry(shard.shardId() + ":" + rec.sequenceNumber(), rec.partitionKey(), rec.data()));
                }
                if (r.records().isEmpty() && (r.millisBehindLatest() == null || r.millisBehindLatest() == 0)) {
                    break;
                }
                it = r.nextShardIterator();
            }
        }
        return out;
    }

    static Map<String, List<String>> keysByPartitionKey(List<Entry> entries) {
        Map<String, List<String>> out = new HashMap<>();
        for (Entry e : entries) {
            out.computeIfAbsent(e.partitionKey(), k -> new ArrayList<>()).add(e.key());
        }
        return out;
    }
}
