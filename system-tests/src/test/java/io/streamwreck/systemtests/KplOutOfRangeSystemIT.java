package io.streamwreck.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.standin.TetheredProcess;
import io.streamwreck.local.system.LocalSystem;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole system, stream-checker included: a KPL aggregate whose user records do not all hash into its shard, read
 * in one batch between two plain records. KCL's rule drops the aggregate; the report must call its user records
 * undelivered (never handed to the handler), not skipped, and the plain records around it processed.
 */
@WithLocalStack
class KplOutOfRangeSystemIT {

    @Test
    void theStreamCheckerReportsTheUserRecordsOfADroppedAggregateUndelivered(LocalStack stack) throws Exception {
        try (LocalSystem system = Systems.start(stack, "kplrange", 2, 1, List.of("--progress-interval", "1s"))) {
            TetheredProcess worker = system.workers().get(0);
            List<Shard> shards = stack.kinesis().listShards(b -> b.streamName(system.stream())).shards().stream()
                    .sorted(Comparator.comparing(s -> new BigInteger(s.hashKeyRange().startingHashKey()))).toList();
            BigInteger shardOneStart = new BigInteger(shards.get(1).hashKeyRange().startingHashKey());
            String inZero = partitionKeyHashing(h -> h.compareTo(shardOneStart) < 0);
            String inOne = partitionKeyHashing(h -> h.compareTo(shardOneStart) >= 0);
            List<PutRecordsRequestEntry> entries = List.of(
                    entry("plain before".getBytes(StandardCharsets.UTF_8)),
                    entry(aggregate(List.of(inZero, inOne), List.of(bytes("b0"), bytes("b1")))),
                    entry("plain after".getBytes(StandardCharsets.UTF_8)));
            PutRecordsResponse response;
            // The worker is frozen while the three records are written, so that its next read returns them together.
            worker.pause();
            try {
                response = stack.kinesis().putRecords(b -> b.streamName(system.stream()).records(entries));
            } finally {
                worker.resume();
            }
            assertThat(response.failedRecordCount()).isZero();
            String shard = shards.get(0).shardId();
            List<String> keys = response.records().stream().map(r -> r.shardId() + ":" + r.sequenceNumber()).toList();
            assertThat(keys).allMatch(k -> k.startsWith(shard + ":"));
            List<String> dropped = List.of(keys.get(1) + ":0", keys.get(1) + ":1");

            system.awaitCaughtUp(keys, Duration.ofMinutes(2));
            await("the worker's progress line").atMost(Duration.ofSeconds(30)).failFast(() -> !worker.isAlive())
                    .until(() -> worker.logTail(400).contains("progress: 4 records received"));
            assertThat(worker.logTail(400)).as("one KCL batch held the three records").contains("in 1 batches");

            LocalSystem.CheckerRun run = Systems.check(system);
            JsonNode report = run.report();
            assertThat(run.exitCode()).as("drift found").isEqualTo(1);
            assertThat(Systems.keys(report.get("Undelivered"))).containsExactlyInAnyOrderElementsOf(dropped);
            assertThat(Systems.keys(report.get("Skipped"))).isEmpty();
            assertThat(Systems.duplicated(report)).isEmpty();
            assertThat(report.get("Total").get("Scanned").asLong()).isEqualTo(4);
        }
    }

    private static PutRecordsRequestEntry entry(byte[] data) {
        return PutRecordsRequestEntry.builder().partitionKey("outer").explicitHashKey("0").data(SdkBytes.fromByteArray(data)).build();
    }

    /**
     * A KPL aggregated record (magic, protobuf AggregatedRecord, MD5 of the protobuf), written here because this module
     * has only the jars of the others, not their classes: user record i has partition key i of the table.
     */
    private static byte[] aggregate(List<String> partitionKeys, List<byte[]> data) throws Exception {
        java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
        for (String key : partitionKeys) {
            field(message, 1, key.getBytes(StandardCharsets.UTF_8));                    // partition_key_table
        }
        for (int i = 0; i < data.size(); i++) {
            java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream();
            record.write(1 << 3);                                                        // partition_key_index, varint
            varint(record, i);
            field(record, 3, data.get(i));                                               // data
            field(message, 3, record.toByteArray());                                     // records
        }
        byte[] protobuf = message.toByteArray();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(new byte[]{(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2});
        out.write(protobuf);
        out.write(MessageDigest.getInstance("MD5").digest(protobuf));
        return out.toByteArray();
    }

    private static void field(java.io.ByteArrayOutputStream out, int number, byte[] bytes) {
        out.write(number << 3 | 2);
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void varint(java.io.ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
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
}
