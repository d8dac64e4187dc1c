package io.streamwreck.ledger;

import io.streamwreck.local.standin.LocalStack;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes records to kinesis-local at a fixed rate per shard and keeps the sequence numbers it assigns: the
 * real numbers the ledger's layout is measured against.
 */
final class KinesisLocalCapture {

    private KinesisLocalCapture() {
    }

    /** Sequence numbers per shard, in write order, from {@code seconds} of writing at {@code perShardRate}. */
    static Map<String, List<String>> capture(LocalStack stack, String stream, int shards, int perShardRate, int seconds)
            throws InterruptedException {
        stack.createStream(stream, shards);
        KinesisClient kinesis = stack.kinesis();
        List<Shard> shardList = kinesis.listShards(b -> b.streamName(stream)).shards();
        Map<String, List<String>> captured = new LinkedHashMap<>();
        shardList.forEach(s -> captured.put(s.shardId(), new ArrayList<>()));
        long start = System.nanoTime();
        for (int second = 0; second < seconds; second++) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (Shard shard : shardList) {
                BigInteger hashKey = new BigInteger(shard.hashKeyRange().startingHashKey());
                for (int i = 0; i < perShardRate; i++) {
                    entries.add(PutRecordsRequestEntry.builder().partitionKey("k").explicitHashKey(hashKey.toString())
                            .data(SdkBytes.fromByteArray(new byte[100])).build());
                }
            }
            for (int from = 0; from < entries.size(); from += 500) {
                List<PutRecordsRequestEntry> call = entries.subList(from, Math.min(entries.size(), from + 500));
                for (PutRecordsResultEntry r : kinesis.putRecords(b -> b.streamName(stream).records(call)).records()) {
                    if (r.errorCode() != null) {
                        throw new IllegalStateException("kinesis-local refused a record: " + r.errorCode() + " " + r.errorMessage());
                    }
                    captured.get(r.shardId()).add(r.sequenceNumber());
                }
            }
            // Pace to the rate: the next second's records go out when that second starts.
            long next = start + TimeUnit.SECONDS.toNanos(second + 1);
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        return captured;
    }
}
