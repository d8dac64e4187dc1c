package io.streamwreck.publish;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.DeliveredBatch;
import io.streamwreck.core.notice.Notice;
import io.streamwreck.core.notice.NoticeCodec;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Turns one delivered batch into the notices that report it: one compact (version 2) notice when it fits an SNS
 * message — nearly always, since a 10,000-record KCL batch takes a few tens of KiB — else the keys split in halves
 * until every part fits. Every part carries the batch's delivered range.
 */
public final class NoticeFactory {

    /** Room left under SNS's 256 KiB for the attributes and for sharing a PublishBatch call with others. */
    public static final int DEFAULT_MAX_BYTES = 200 * 1024;

    private final String stream;
    private final String app;
    private final String worker;
    private final NoticeCodec codec;
    private final int maxBytes;
    private final Supplier<String> ids;
    private final Clock clock;

    public NoticeFactory(String stream, String app, String worker) {
        this(stream, app, worker, new NoticeCodec(), DEFAULT_MAX_BYTES, () -> UUID.randomUUID().toString(), Clock.systemUTC());
    }

    public NoticeFactory(String stream, String app, String worker, NoticeCodec codec, int maxBytes,
                         Supplier<String> ids, Clock clock) {
        this.stream = stream;
        this.app = app;
        this.worker = worker;
        this.codec = codec;
        this.maxBytes = maxBytes;
        this.ids = ids;
        this.clock = clock;
    }

    /** The notices for one batch of {@code shardId}: {@code processed} are the keys the handler completed. */
    public List<OutgoingNotice> forBatch(String shardId, DeliveredBatch batch, List<RecordKey> processed) {
        List<OutgoingNotice> out = new ArrayList<>(1);
        split(new Notice(Notice.COMPACT_VERSION, ids.get(), stream, app, shardId, worker, batch, processed, clock.instant()), out);
        return out;
    }

    private void split(Notice notice, List<OutgoingNotice> out) {
        String json = codec.encode(notice);
        OutgoingNotice encoded = OutgoingNotice.of(notice, json);
        if (encoded.bytes() <= maxBytes || notice.processed().size() <= 1) {
            if (encoded.bytes() > maxBytes) {
                throw new IllegalStateException("a notice of one key takes " + encoded.bytes() + " bytes, over " + maxBytes);
            }
            out.add(encoded);
            return;
        }
        List<RecordKey> keys = notice.processed();
        int half = keys.size() / 2;
        split(notice.withProcessed(notice.id(), keys.subList(0, half)), out);
        split(notice.withProcessed(ids.get(), keys.subList(half, keys.size())), out);
    }
}
