package io.streamwreck.processor.publish;

import io.streamwreck.publish.NoticePublisher;
import io.streamwreck.publish.OutgoingNotice;
import io.streamwreck.publish.PublisherStats;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drops every notice at once. Not for production: the processor benchmark's baseline (records/s with no
 * notice cost) and nothing else.
 */
public final class DiscardingNoticePublisher implements NoticePublisher {

    private final LongAdder notices = new LongAdder();
    private final LongAdder keys = new LongAdder();

    @Override
    public CompletableFuture<Void> publish(List<OutgoingNotice> batch) {
        notices.add(batch.size());
        batch.forEach(n -> keys.add(n.notice().processed().size()));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void flush() {
    }

    @Override
    public PublisherStats stats() {
        return new PublisherStats(0, notices.sum(), keys.sum(), 0);
    }

    @Override
    public void close() {
    }
}
