package io.streamwreck.notified;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.DeliveredBatch;
import io.streamwreck.core.notice.Notice;
import io.streamwreck.core.notice.NoticeCodec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the invocation's CPU-bound paths once on built-in fixtures, with no effect outside the process: a
 * notice of each version the processor emits is encoded and decoded (Jackson, the compact key codec, key
 * parsing, the scope rules), and an EMF document with the function's five metrics is serialised without being
 * written. Used during init, on the main thread while the Redis connection is opened on another, and before a
 * SnapStart snapshot, so that the classes the first notice needs are loaded (and, for SnapStart, in the
 * snapshot).
 */
final class NotifiedPriming {

    /** Sequence numbers in kinesis-local's layout (consecutive records of one shard, 2^80 apart). */
    private static final String FIRST = "49668563617890417520316213853085632573939718373548113922";
    private static final String SHARD = "shardId-000000000000";

    private NotifiedPriming() {
    }

    static void warm(NoticeRecorder recorder, NoticeMetrics metrics) {
        NoticeCodec codec = new NoticeCodec();
        for (int version : new int[] {Notice.COMPACT_VERSION, Notice.VERSION}) {
            recorder.decode(codec.encode(fixture(version)));
        }
        metrics.warm();
    }

    static Notice fixture(int version) {
        List<RecordKey> keys = new ArrayList<>();
        java.math.BigInteger step = java.math.BigInteger.ONE.shiftLeft(80);
        java.math.BigInteger n = new java.math.BigInteger(FIRST);
        for (int i = 0; i < 16; i++) {
            keys.add(i % 4 == 3 ? RecordKey.of(SHARD, n.toString(), i) : RecordKey.of(SHARD, n.toString()));
            n = n.add(step);
        }
        return new Notice(version, "00000000-0000-0000-0000-000000000000", "priming", "priming", SHARD, "priming",
                new DeliveredBatch(keys.get(0).sequenceNumber(), keys.get(keys.size() - 1).sequenceNumber(), keys.size()),
                keys, Instant.EPOCH);
    }
}
