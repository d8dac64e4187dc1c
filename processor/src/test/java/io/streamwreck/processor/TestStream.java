package io.streamwreck.processor;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.kpl.KplAggregate;
import io.streamwreck.local.standin.LocalStack;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** A stream on kinesis-local and every key written to it, in write order. */
final class TestStream {

    private static final AtomicLong SEQ = new AtomicLong();

    private final LocalStack stack;
    private final String name;
    private final List<RecordKey> written = Collections.synchronizedList(new ArrayList<>());

    private TestStream(LocalStack stack, String name) {
        this.stack = stack;
        this.name = name;
    }

    static TestStream create(LocalStack stack, String prefix, int shards) {
        String name = prefix + "-" + System.nanoTime() % 1_000_000_000L;
        stack.createStream(name, shards);
        return new TestStream(stack, name);
    }

    String name() {
        return name;
    }

    /** Writes {@code count} records with random partition keys, 500 per call; the whole call is retried on a failed entry. */
    List<RecordKey> write(int count) {
        KinesisClient kinesis = stack.kinesis();
        List<RecordKey> keys = new ArrayList<>(count);
        for (int start = 0; start < count; start += 500) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + 500); i++) {
                long n = SEQ.incrementAndGet();
                entries.add(PutRecordsRequestEntry.builder().partitionKey("pk-" + n + "-" + System.nanoTime())
                        .data(SdkBytes.fromString("record " + n, StandardCharsets.UTF_8)).build());
            }
            PutRecordsResponse response = kinesis.putRecords(b -> b.streamName(name).records(entries));
            if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
                throw new IllegalStateException(response.failedRecordCount() + " records not written to " + name);
            }
            for (PutRecordsResultEntry r : response.records()) {
                keys.add(RecordKey.of(r.shardId(), r.sequenceNumber()));
            }
        }
        written.addAll(keys);
        return keys;
    }

    /**
     * Writes {@code count} KPL-aggregated Kinesis records of {@code perRecord} user records each and returns the user
     * records' keys ({@code shardId:seq:sub}).
     */
    List<RecordKey> writeAggregated(int count, int perRecord) {
        KinesisClient kinesis = stack.kinesis();
        List<RecordKey> keys = new ArrayList<>(count * perRecord);
        for (int start = 0; start < count; start += 500) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + 500); i++) {
                String pk = "agg-" + SEQ.incrementAndGet() + "-" + System.nanoTime();
                List<byte[]> users = new ArrayList<>(perRecord);
                for (int u = 0; u < perRecord; u++) {
                    users.add(("user record " + u + " of " + pk).getBytes(StandardCharsets.UTF_8));
                }
                entries.add(PutRecordsRequestEntry.builder().partitionKey(pk)
                        .data(SdkBytes.fromByteArray(KplAggregate.encode(pk, users))).build());
            }
            PutRecordsResponse response = kinesis.putRecords(b -> b.streamName(name).records(entries));
            if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
                throw new IllegalStateException(response.failedRecordCount() + " records not written to " + name);
            }
            for (PutRecordsResultEntry r : response.records()) {
                for (int u = 0; u < perRecord; u++) {
                    keys.add(RecordKey.of(r.shardId(), r.sequenceNumber(), u));
                }
            }
        }
        written.addAll(keys);
        return keys;
    }

    List<RecordKey> written() {
        synchronized (written) {
            return List.copyOf(written);
        }
    }

    /** The last written key of each shard. */
    Map<String, RecordKey> lastPerShard() {
        Map<String, RecordKey> last = new TreeMap<>();
        for (RecordKey k : written()) {
            last.merge(k.shardId(), k, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        return last;
    }

    List<Shard> shards() {
        return stack.kinesis().listShards(b -> b.streamName(name)).shards();
    }
}
