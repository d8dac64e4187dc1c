package io.streamwreck.processor;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.kpl.KplAggregate;
import io.streamwreck.core.kpl.KplUserRecord;
import io.streamwreck.core.notice.Notice;
import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.KeyStatus;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.standin.TetheredProcess;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A KPL aggregate whose user records do not all hash into the shard holding it, written between plain records of
 * the same shard and read in one batch: KCL's rule drops the whole aggregate, and the fleet must report it outside
 * every delivered range — its user records undelivered in the ledger, not skipped — while the plain records around
 * it are processed. With {@code --kpl-deaggregation all} every user record is handled.
 */
@WithLocalStack
class KplOutOfRangeIT {

    /** What was written into shard 0, in one PutRecords call. */
    record Written(RecordKey before, List<RecordKey> inRangeAggregate, List<RecordKey> outOfRangeAggregate, RecordKey after) {
        List<RecordKey> all() {
            List<RecordKey> all = new ArrayList<>();
            all.add(before);
            all.addAll(inRangeAggregate);
            all.addAll(outOfRangeAggregate);
            all.add(after);
            return all;
        }
    }

    @Test
    void anAggregateKclDropsInsideADeliveredBatchIsUndeliveredAndItsNeighboursProcessed(LocalStack stack) throws Exception {
        Run run = run(stack, "kpl-strict", List.of());
        Written w = run.written;

        assertThat(run.counts.keySet()).containsExactlyInAnyOrder(
                concat(List.of(w.before(), w.after()), w.inRangeAggregate()).toArray(RecordKey[]::new));
        assertThat(run.counts.values()).containsOnly(1);
        // No delivered range of any notice covers the dropped aggregate's sequence number.
        BigInteger dropped = new BigInteger(w.outOfRangeAggregate().get(0).sequenceNumber());
        assertThat(run.notices).noneMatch(n -> new BigInteger(n.batch().first()).compareTo(dropped) <= 0
                && new BigInteger(n.batch().last()).compareTo(dropped) >= 0);

        Map<RecordKey, Classification> classes = run.classes;
        assertThat(classes.get(w.before())).isEqualTo(Classification.PROCESSED);
        assertThat(classes.get(w.after())).isEqualTo(Classification.PROCESSED);
        w.inRangeAggregate().forEach(k -> assertThat(classes.get(k)).as(k.toString()).isEqualTo(Classification.PROCESSED));
        w.outOfRangeAggregate().forEach(k -> assertThat(classes.get(k)).as(k.toString()).isEqualTo(Classification.UNDELIVERED));
        assertThat(run.log).contains("KPL aggregate " + dropped + " dropped as KCL does: 2 of its 3 user records");
    }

    @Test
    void withKplDeaggregationAllEveryUserRecordIsProcessed(LocalStack stack) throws Exception {
        Run run = run(stack, "kpl-all", List.of("--kpl-deaggregation", "all"));

        assertThat(run.counts.keySet()).containsExactlyInAnyOrderElementsOf(run.written.all());
        assertThat(run.counts.values()).containsOnly(1);
        assertThat(run.classes.values()).containsOnly(Classification.PROCESSED);
        assertThat(run.log).doesNotContain("dropped as KCL does");
    }

    private record Run(Written written, List<Notice> notices, Map<RecordKey, Integer> counts,
                       Map<RecordKey, Classification> classes, String log) {
    }

    private static Run run(LocalStack stack, String prefix, List<String> workerArgs) throws Exception {
        TestStream stream = TestStream.create(stack, prefix, 2);
        Path dir = Files.createDirectories(Path.of("target/it", stream.name()));
        String app = prefix + "-app-" + stream.name();
        String topicArn = stack.sns().createTopic(b -> b.name("notices-" + stream.name())).topicArn();
        Written written = writeIntoShardZero(stack, stream);

        try (NoticeCollector notices = NoticeCollector.subscribe(stack, topicArn, "q-" + stream.name());
             Fleet fleet = new Fleet(stack, stream.name(), app, topicArn, dir, workerArgs)) {
            TetheredProcess worker = fleet.start(1);
            // Written before the worker started: the shard's first GetRecords returns all of it, one batch.
            await("the worker has read the batch and reported it").atMost(Duration.ofSeconds(90)).failFast(() -> !worker.isAlive())
                    .until(() -> notices.processedCounts().containsKey(written.after())
                            && worker.logTail(400).contains("progress: " + written.all().size() + " records received"));
            String log = worker.logTail(400);
            assertThat(log).as("one KCL batch held every record").contains("in 1 batches");
            List<Notice> all = notices.notices();
            Map<RecordKey, Classification> classes;
            try (RedisLedger ledger = RedisLedger.connect(stack.endpoints().redis().toString(), false, Duration.ofHours(1))) {
                all.forEach(ledger::record);
                classes = ledger.classify(new Scope(stream.name(), app), written.all()).stream()
                        .collect(Collectors.toMap(KeyStatus::key, KeyStatus::classification));
            }
            return new Run(written, all, notices.processedCounts(), classes, log);
        }
    }

    /**
     * Into shard 0 (explicit hash key 0), in one call: a plain record, an aggregate whose user records all hash into
     * shard 0, an aggregate with one user record in shard 0, one whose partition key's MD5 lies in shard 1 and one
     * with an explicit hash key in shard 1, and another plain record.
     */
    private static Written writeIntoShardZero(LocalStack stack, TestStream stream) throws Exception {
        List<Shard> shards = stream.shards().stream().sorted(Comparator.comparing(s -> new BigInteger(s.hashKeyRange().startingHashKey())))
                .toList();
        BigInteger shardOneStart = new BigInteger(shards.get(1).hashKeyRange().startingHashKey());
        String inZero = partitionKeyHashing(k -> k.compareTo(shardOneStart) < 0);
        String inOne = partitionKeyHashing(k -> k.compareTo(shardOneStart) >= 0);
        List<KplUserRecord> good = List.of(KplUserRecord.of(inZero, bytes("a0")), KplUserRecord.of(inZero, bytes("a1")));
        List<KplUserRecord> bad = List.of(KplUserRecord.of(inZero, bytes("b0")), KplUserRecord.of(inOne, bytes("b1")),
                new KplUserRecord(inZero, shardOneStart.toString(), bytes("b2")));
        List<PutRecordsRequestEntry> entries = List.of(
                entry(bytes("plain before")),
                entry(KplAggregate.encode(good)),
                entry(KplAggregate.encode(bad)),
                entry(bytes("plain after")));
        PutRecordsResponse response = stack.kinesis().putRecords(b -> b.streamName(stream.name()).records(entries));
        assertThat(response.failedRecordCount()).isZero();
        String shard = shards.get(0).shardId();
        assertThat(response.records()).allMatch(r -> r.shardId().equals(shard));
        List<String> seqs = response.records().stream().map(r -> r.sequenceNumber()).toList();
        return new Written(RecordKey.of(shard, seqs.get(0)),
                List.of(RecordKey.of(shard, seqs.get(1), 0), RecordKey.of(shard, seqs.get(1), 1)),
                List.of(RecordKey.of(shard, seqs.get(2), 0), RecordKey.of(shard, seqs.get(2), 1), RecordKey.of(shard, seqs.get(2), 2)),
                RecordKey.of(shard, seqs.get(3)));
    }

    private static PutRecordsRequestEntry entry(byte[] data) {
        return PutRecordsRequestEntry.builder().partitionKey("outer").explicitHashKey("0").data(SdkBytes.fromByteArray(data)).build();
    }

    private static String partitionKeyHashing(java.util.function.Predicate<BigInteger> where) throws Exception {
        for (int i = 0; ; i++) {
            String key = "pk-" + i;
            BigInteger hash = new BigInteger(1, MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8)));
            if (where.test(hash)) {
                return key;
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<RecordKey> concat(List<RecordKey> a, List<RecordKey> b) {
        List<RecordKey> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
