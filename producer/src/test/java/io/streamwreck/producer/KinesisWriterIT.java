package io.streamwreck.producer;

import io.streamwreck.core.RecordKey;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.producer.StreamContents.StoredRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The writer against the real kinesis-local: what it reports is what the stream holds. */
@WithLocalStack
class KinesisWriterIT {

    @TempDir
    Path dir;

    @Test
    void everyRecordIsReadBackWithTheShardAndSequenceNumberItsFutureReported(LocalStack stack) throws Exception {
        String stream = LocalKinesis.newStream(stack, "readback", 4);
        Map<String, CompletableFuture<WriteResult>> futures = new LinkedHashMap<>();
        Map<String, String> predictedShard = new HashMap<>();
        try (WriterClient client = LocalKinesis.client(stack)) {
            ShardMap shards = ShardMap.load(client.kinesis(), stream).get(10, TimeUnit.SECONDS);
            try (KinesisWriter writer = KinesisWriter.start(client.kinesis(), WriterSettings.forStream(stream).build())) {
                for (int i = 0; i < 2000; i++) {
                    String data = "record-" + i;
                    OutgoingRecord record = OutgoingRecord.of("key-" + i, data.getBytes(StandardCharsets.UTF_8));
                    if (i % 10 == 0) {
                        // Every tenth record is placed by an explicit hash key, spread over the whole key space.
                        record = record.withExplicitHashKey(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE)
                                .multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(1999)).toString());
                    }
                    predictedShard.put(data, shards.shardFor(record));
                    futures.put(data, writer.write(record));
                }
                writer.flush().get(30, TimeUnit.SECONDS);
                assertThat(writer.stats().written()).isEqualTo(2000);
                assertThat(writer.stats().failed()).isZero();
            }
        }

        Map<String, RecordKey> reported = new HashMap<>();
        futures.forEach((data, f) -> reported.put(data, f.join().key()));
        List<StoredRecord> stored = StreamContents.readAll(stack.kinesis(), stream);
        assertThat(stored).as("no record is lost and none is duplicated").hasSize(2000);
        Map<String, RecordKey> read = stored.stream().collect(Collectors.toMap(StoredRecord::data, StoredRecord::key));
        assertThat(read).isEqualTo(reported);
        assertThat(futures.values()).allSatisfy(f -> assertThat(f.join().attempts()).isEqualTo(1));
        // The writer's shard map routes like Kinesis does, so its per-shard rate limit counts the right shard.
        futures.forEach((data, f) -> assertThat(f.join().shardId()).as(data).isEqualTo(predictedShard.get(data)));
        assertThat(reported.values().stream().map(RecordKey::shardId).distinct()).hasSize(4);
    }

    @Test
    void theWrittenLogMatchesWhatGetRecordsReturns(LocalStack stack) throws Exception {
        String stream = LocalKinesis.newStream(stack, "log", 3);
        Path log = dir.resolve("written.log");
        List<CompletableFuture<WriteResult>> futures = new ArrayList<>();
        try (WriterClient client = LocalKinesis.client(stack);
             KinesisWriter writer = KinesisWriter.start(client.kinesis(), WriterSettings.forStream(stream).writtenLog(log).build())) {
            for (int i = 0; i < 1500; i++) {
                // Seven partition keys: many records share a key, and so a shard.
                OutgoingRecord record = OutgoingRecord.of("pk-" + (i % 7), ("id-" + i).getBytes(StandardCharsets.UTF_8));
                futures.add(writer.write(i % 2 == 0 ? record.withId("id-" + i) : record));
            }
        }

        List<WrittenLog.Entry> lines = WrittenLog.read(log);
        List<StoredRecord> stored = StreamContents.readAll(stack.kinesis(), stream);
        assertThat(lines).hasSize(1500);
        assertThat(lines.stream().map(WrittenLog.Entry::key)).containsExactlyInAnyOrderElementsOf(
                stored.stream().map(StoredRecord::key).toList());
        // Records with an id are logged under it; the others under the order the writer accepted them in (from 1).
        Map<String, RecordKey> byData = stored.stream().collect(Collectors.toMap(StoredRecord::data, StoredRecord::key));
        for (WrittenLog.Entry line : lines) {
            String data = line.recordId().startsWith("id-") ? line.recordId() : "id-" + (Long.parseLong(line.recordId()) - 1);
            assertThat(line.key()).as(line.line()).isEqualTo(byData.get(data));
        }
        assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted());
    }

    @Test
    void closeReturnsOnlyOnceEveryRecordHasFinishedAndThenRefusesRecords(LocalStack stack) throws Exception {
        String stream = LocalKinesis.newStream(stack, "close", 2);
        List<CompletableFuture<WriteResult>> futures = new ArrayList<>();
        KinesisWriter writer;
        try (WriterClient client = LocalKinesis.client(stack)) {
            // A long linger: without close's flush the last partial call would wait for it.
            writer = KinesisWriter.start(client.kinesis(), WriterSettings.forStream(stream).linger(java.time.Duration.ofSeconds(20)).build());
            for (int i = 0; i < 1234; i++) {
                futures.add(writer.write(OutgoingRecord.of("k" + i, new byte[] {(byte) i})));
            }
            long began = System.nanoTime();
            writer.close();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began)).as("close did not wait for the linger").isLessThan(10);
            assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted());
            assertThat(writer.stats().written()).isEqualTo(1234);
            assertThat(writer.stats().buffered()).isZero();
            assertThatThrownBy(() -> writer.write(OutgoingRecord.of("late", new byte[1])))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
        assertThat(StreamContents.readAll(stack.kinesis(), stream)).hasSize(1234);
    }

    @Test
    void startingOnAStreamThatDoesNotExistFailsWithItsName(LocalStack stack) {
        try (WriterClient client = LocalKinesis.client(stack)) {
            assertThatThrownBy(() -> KinesisWriter.start(client.kinesis(), WriterSettings.forStream("no-such-stream").build()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no-such-stream")
                    .hasMessageContaining("ResourceNotFoundException");
        }
    }
}
