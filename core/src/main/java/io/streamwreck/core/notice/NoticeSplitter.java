package io.streamwreck.core.notice;

import io.streamwreck.core.RecordKey;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Splits the processed keys of one delivered batch into as few notices as fit the SNS message size limit.
 *
 * <p>Every notice of a batch carries the same delivered range, so the ledger learns the range even when
 * the handler processed nothing (one notice with an empty {@code processed} list). Keys keep their order.
 */
public final class NoticeSplitter {

    /** SNS's limit on one message, body and attributes together. */
    public static final int SNS_MESSAGE_LIMIT = 256 * 1024;
    /**
     * What a notice's body may use by default: the SNS limit less room for the {@code stream}, {@code app}
     * and {@code shardId} message attributes (names, types and values stay well under 1 KiB).
     */
    public static final int DEFAULT_MAX_BYTES = SNS_MESSAGE_LIMIT - 1024;

    private final NoticeCodec codec;
    private final int maxBytes;
    private final Supplier<String> ids;

    public NoticeSplitter(NoticeCodec codec) {
        this(codec, DEFAULT_MAX_BYTES, () -> UUID.randomUUID().toString());
    }

    /**
     * @param maxBytes the largest encoded notice allowed, in UTF-8 bytes
     * @param ids      a fresh notice id per call; every id must have the same length as the first
     */
    public NoticeSplitter(NoticeCodec codec, int maxBytes, Supplier<String> ids) {
        this.codec = codec;
        this.maxBytes = maxBytes;
        this.ids = ids;
    }

    /**
     * The notices for one batch: {@code template} supplies every field but {@code id} and {@code processed}.
     *
     * @throws IllegalArgumentException if even an empty notice does not fit {@code maxBytes}
     */
    public List<Notice> split(Notice template, List<RecordKey> processed) {
        Notice empty = template.withProcessed(ids.get(), List.of());
        // The JSON of a notice is its empty form plus, per key, the key in quotes and a comma between keys.
        // Keys are digits and colons, never escaped, so their size is known without encoding them again.
        int base = codec.encode(empty).getBytes(StandardCharsets.UTF_8).length;
        if (base > maxBytes) {
            throw new IllegalArgumentException("a notice without keys already takes " + base
                    + " bytes, more than the limit of " + maxBytes);
        }
        List<Notice> notices = new ArrayList<>();
        List<RecordKey> current = new ArrayList<>();
        int size = base;
        for (RecordKey key : processed) {
            int cost = key.sequencePart().length() + 2 + (current.isEmpty() ? 0 : 1);
            if (size + cost > maxBytes && !current.isEmpty()) {
                notices.add(notices.isEmpty() ? empty.withProcessed(empty.id(), current) : template.withProcessed(ids.get(), current));
                current = new ArrayList<>();
                size = base;
                cost = key.sequencePart().length() + 2;
            }
            if (base + cost > maxBytes) {
                throw new IllegalArgumentException("key " + key + " does not fit in a notice of " + maxBytes + " bytes");
            }
            current.add(key);
            size += cost;
        }
        notices.add(notices.isEmpty() ? empty.withProcessed(empty.id(), current) : template.withProcessed(ids.get(), current));
        return notices;
    }

    public int maxBytes() {
        return maxBytes;
    }
}
