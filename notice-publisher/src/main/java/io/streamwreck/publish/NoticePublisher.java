package io.streamwreck.publish;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where a worker's notices go. */
public interface NoticePublisher extends AutoCloseable {

    /**
     * Queues notices for publishing.
     *
     * @return completes when every one of them is published; never completes exceptionally while the
     *         publisher is open (failures are retried), and exceptionally only once it is closed
     */
    CompletableFuture<Void> publish(List<OutgoingNotice> notices);

    /** Sends whatever is queued now, without waiting for more to fill a call. */
    void flush();

    /** What has been sent so far. */
    PublisherStats stats();

    @Override
    void close();
}
