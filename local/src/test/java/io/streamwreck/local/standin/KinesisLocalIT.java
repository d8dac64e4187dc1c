package io.streamwreck.local.standin;

import io.streamwreck.local.junit.WithLocalStack;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@WithLocalStack
class KinesisLocalIT {

    @Test
    void everyRecordWrittenToAFourShardStreamIsReadBackWithItsShardQualifiedKey(LocalStack stack) {
        String stream = "kinesis-it-" + System.nanoTime();
        stack.createStream(stream, 4);
        KinesisClient kinesis = stack.kinesis();

        List<PutRecordsRequestEntry> entries = IntStream.range(0, 400)
                .mapToObj(i -> PutRecordsRequestEntry.builder().partitionKey("pk-" + i)
                        .data(SdkBytes.fromString("record-" + i, StandardCharsets.UTF_8)).build())
                .toList();
        List<PutRecordsResultEntry> results = kinesis.putRecords(b -> b.streamName(stream).records(entries)).records();
        Map<String, String> written = new HashMap<>();
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).errorCode()).as("entry %d", i).isNull();
            written.put(results.get(i).shardId() + ':' + results.get(i).sequenceNumber(), "record-" + i);
        }

        List<Shard> shards = listAllShards(kinesis, stream);
        assertThat(shards).hasSize(4);
        Map<String, String> read = new HashMap<>();
        for (Shard shard : shards) {
            readShard(kinesis, stream, shard.shardId(), read);
        }

        assertThat(read).isEqualTo(written);
        // Real Kinesis keys: shardId-NNNNNNNNNNNN and a 56-digit sequence number.
        assertThat(read.keySet()).allMatch(key -> key.matches("shardId-\\d{12}:[1-9]\\d{55}"));
        assertThat(read.keySet().stream().map(key -> key.substring(0, key.indexOf(':'))).distinct())
                .as("records spread over shards").hasSizeGreaterThan(1);
    }

    /** ListShards two at a time, to exercise the pagination the stream-checker relies on. */
    private static List<Shard> listAllShards(KinesisClient kinesis, String stream) {
        List<Shard> shards = new ArrayList<>();
        ListShardsResponse page = kinesis.listShards(b -> b.streamName(stream).maxResults(2));
        shards.addAll(page.shards());
        while (page.nextToken() != null) {
            String token = page.nextToken();
            page = kinesis.listShards(b -> b.nextToken(token).maxResults(2));
            shards.addAll(page.shards());
        }
        return shards;
    }

    private static void readShard(KinesisClient kinesis, String stream, String shardId, Map<String, String> into) {
        String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        while (iterator != null) {
            String current = iterator;
            GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
            for (Record r : page.records()) {
                into.put(shardId + ':' + r.sequenceNumber(), r.data().asUtf8String());
            }
            iterator = page.records().isEmpty() ? null : page.nextShardIterator();
        }
    }
}
