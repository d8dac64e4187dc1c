package io.streamwreck.core.notice;

import io.streamwreck.core.RecordKey;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One "processed" notice (DESIGN.md "Notices"): a processor tells the ledger which records of one delivered
 * batch of one shard its handler completed. Every key in {@link #processed()} belongs to {@link #shardId()}.
 *
 * <p>{@link #id()} is unique per notice: recording the same notice twice has no effect, while two notices
 * naming the same record make it a duplicate.
 */
public record Notice(
        int version,
        String id,
        String stream,
        String app,
        String shardId,
        String worker,
        DeliveredBatch batch,
        List<RecordKey> processed,
        Instant at) {

    /** The first format: {@code processed} as a JSON array of decimal keys. */
    public static final int VERSION = 1;
    /** The dense format: {@code count} and {@code keys} ({@link CompactKeys}); what the processor sends. */
    public static final int COMPACT_VERSION = 2;

    public Notice {
        if (version != VERSION && version != COMPACT_VERSION) {
            throw new IllegalArgumentException("unsupported notice version " + version);
        }
        requireText(id, "id");
        requireText(stream, "stream");
        requireText(app, "app");
        RecordKey.validateShardId(shardId);
        requireText(worker, "worker");
        Objects.requireNonNull(batch, "batch is required");
        Objects.requireNonNull(at, "at is required");
        processed = List.copyOf(Objects.requireNonNull(processed, "processed is required (may be empty)"));
        for (int i = 0; i < processed.size(); i++) {
            RecordKey key = processed.get(i);
            if (!key.shardId().equals(shardId)) {
                throw new IllegalArgumentException("processed[" + i + "] " + key + " is not in shard " + shardId);
            }
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required and may not be blank");
        }
    }

    /** A copy of this notice with other processed keys and a new id: used when a batch is split. */
    public Notice withProcessed(String newId, List<RecordKey> keys) {
        return new Notice(version, newId, stream, app, shardId, worker, batch, keys, at);
    }
}
