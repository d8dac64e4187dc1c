package io.streamwreck.producer.cli;

import io.streamwreck.producer.KinesisLimits;
import io.streamwreck.producer.OutgoingRecord;
import software.amazon.awssdk.core.SdkBytes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The records the load generator writes. Record {@code n} (from 1) has the id {@code <run>-<n>}; its data is
 * the id, a space and filler up to the requested size (cut to the size when the id is longer), so a reader of
 * the stream can tell which record it holds. Its partition key is the id itself, or one of
 * {@code pk-0 … pk-(K-1)} in turn when K partition keys are asked for.
 */
final class LoadGenerator {

    private final String runId;
    private final int size;
    private final int partitionKeys;
    private final byte[] filler;

    /**
     * @param runId         distinguishes this run's records from other runs' in the same stream
     * @param size          bytes of data per record
     * @param partitionKeys distinct partition keys, or 0 for a new one per record
     */
    LoadGenerator(String runId, int size, int partitionKeys) {
        if (size < 0 || size > KinesisLimits.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("record size must be 0 to " + KinesisLimits.MAX_RECORD_BYTES + " bytes, was " + size);
        }
        if (partitionKeys < 0) {
            throw new IllegalArgumentException("partition keys must be 0 (one per record) or more, was " + partitionKeys);
        }
        this.runId = runId;
        this.size = size;
        this.partitionKeys = partitionKeys;
        this.filler = new byte[size];
        Arrays.fill(filler, (byte) '.');
    }

    String idOf(long n) {
        return runId + "-" + n;
    }

    OutgoingRecord record(long n) {
        String id = idOf(n);
        byte[] data = filler.clone();
        byte[] head = (id + " ").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, data, 0, Math.min(head.length, size));
        String partitionKey = partitionKeys == 0 ? id : "pk-" + (n % partitionKeys);
        // The array is ours alone, so the SDK may use it without another copy.
        return OutgoingRecord.of(partitionKey, SdkBytes.fromByteArrayUnsafe(data)).withId(id);
    }
}
