package io.streamwreck.publish;

import io.streamwreck.core.retry.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Publishes notices with SNS PublishBatch from one sender thread, packing notices of every shard of this worker
 * into as few calls as possible: up to 10 notices and 256 KiB per call (SNS's limits), waiting up to
 * {@code linger} for a call to fill. SNS bills per request, so this is where the processor's SNS cost is decided.
 *
 * <p>Nothing is dropped: a call that fails, and each entry SNS refuses, is retried with exponential backoff and
 * full jitter (waits of 50 ms up to a ceiling of 100 ms doubling to 5 s, so a fleet does not retry in step after an
 * outage) for as long as the publisher is open, oldest first. Shards checkpoint only what their
 * {@link #publish} futures confirmed, so while SNS is unreachable no checkpoint moves.
 */
public final class SnsNoticePublisher implements NoticePublisher {

    private static final Logger log = LoggerFactory.getLogger(SnsNoticePublisher.class);

    /** SNS PublishBatch: at most 10 entries and 256 KiB of messages (bodies and attributes) per call. */
    static final int MAX_ENTRIES = 10;
    /** SNS allows 256 KiB; 6 KiB stay spare because attribute sizes are our own estimate. */
    static final int MAX_CALL_BYTES = 250 * 1024;
    private static final Backoff RETRY = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(5)).withFloor(Duration.ofMillis(50));

    private final SnsAsyncClient sns;
    private final String topicArn;
    private final long lingerNanos;
    private final Duration drainOnClose;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Entry> queue = new ArrayDeque<>();
    private boolean flushRequested;
    private boolean closed;

    private long calls;
    private long published;
    private long keys;
    private long failedAttempts;

    private final Thread sender;

    /** One notice in the queue, and the publish() call it belongs to. */
    private record Entry(OutgoingNotice notice, Group group, long queuedAt) {
    }

    /** The notices of one publish() call: its future completes when the last of them is published. */
    private static final class Group {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final AtomicInteger remaining;

        Group(int size) {
            remaining = new AtomicInteger(size);
        }

        void published() {
            if (remaining.decrementAndGet() == 0) {
                done.complete(null);
            }
        }
    }

    /**
     * @param linger       how long a notice may wait for others to share its call; longer means fewer SNS calls
     *                     and later checkpoints
     * @param drainOnClose how long {@link #close()} keeps sending what is still queued
     */
    public SnsNoticePublisher(SnsAsyncClient sns, String topicArn, Duration linger, Duration drainOnClose) {
        this.sns = sns;
        this.topicArn = topicArn;
        this.lingerNanos = linger.toNanos();
        this.drainOnClose = drainOnClose;
        this.sender = new Thread(this::run, "notice-publisher");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public CompletableFuture<Void> publish(List<OutgoingNotice> notices) {
        if (notices.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Group group = new Group(notices.size());
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the notice publisher is closed"));
            }
            for (OutgoingNotice notice : notices) {
                if (notice.messageBytes() > MAX_CALL_BYTES) {
                    throw new IllegalArgumentException("notice " + notice.notice().id() + " takes " + notice.messageBytes()
                            + " bytes, more than an SNS message may");
                }
            }
            long now = System.nanoTime();
            for (OutgoingNotice notice : notices) {
                queue.addLast(new Entry(notice, group, now));
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return group.done;
    }

    @Override
    public void flush() {
        lock.lock();
        try {
            flushRequested = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public PublisherStats stats() {
        lock.lock();
        try {
            return new PublisherStats(calls, published, keys, failedAttempts);
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        int failedCalls = 0;
        while (true) {
            List<Entry> call;
            try {
                call = nextCall();
            } catch (InterruptedException e) {
                return;
            }
            if (call == null) {
                return;
            }
            List<Entry> failed = send(call);
            if (failed.isEmpty()) {
                failedCalls = 0;
                continue;
            }
            requeue(failed);
            if (!pause(++failedCalls)) {
                return;
            }
        }
    }

    /** The next call's entries, after waiting for it to fill or linger out; null once closed and empty. */
    private List<Entry> nextCall() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (queue.isEmpty()) {
                    flushRequested = false;
                    if (closed) {
                        return null;
                    }
                    changed.await();
                    continue;
                }
                long waitNanos = queue.peekFirst().queuedAt() + lingerNanos - System.nanoTime();
                if (waitNanos <= 0 || flushRequested || closed || fillsACall()) {
                    return take();
                }
                changed.awaitNanos(waitNanos);
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean fillsACall() {
        if (queue.size() >= MAX_ENTRIES) {
            return true;
        }
        int bytes = 0;
        for (Entry e : queue) {
            bytes += e.notice().messageBytes();
        }
        // Another notice of typical size would not fit: waiting longer cannot save a call.
        return bytes > MAX_CALL_BYTES - NoticeFactory.DEFAULT_MAX_BYTES / 4;
    }

    private List<Entry> take() {
        List<Entry> call = new ArrayList<>(MAX_ENTRIES);
        int bytes = 0;
        while (!queue.isEmpty() && call.size() < MAX_ENTRIES) {
            int next = queue.peekFirst().notice().messageBytes();
            if (!call.isEmpty() && bytes + next > MAX_CALL_BYTES) {
                break;
            }
            bytes += next;
            call.add(queue.pollFirst());
        }
        return call;
    }

    private void requeue(List<Entry> failed) {
        lock.lock();
        try {
            for (int i = failed.size() - 1; i >= 0; i--) {
                queue.addFirst(failed.get(i));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sends one call; returns the entries that were not published. */
    private List<Entry> send(List<Entry> call) {
        Map<String, Entry> byId = new HashMap<>();
        List<PublishBatchRequestEntry> entries = new ArrayList<>(call.size());
        for (int i = 0; i < call.size(); i++) {
            String id = "n" + i;
            Entry e = call.get(i);
            byId.put(id, e);
            entries.add(PublishBatchRequestEntry.builder().id(id).message(e.notice().json())
                    .messageAttributes(NoticeAttributes.of(e.notice().notice())).build());
        }
        PublishBatchResponse response;
        try {
            response = sns.publishBatch(PublishBatchRequest.builder().topicArn(topicArn).publishBatchRequestEntries(entries).build())
                    .get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            countCall(List.of(), call.size());
            return call;
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            log.warn("SNS PublishBatch of {} notices failed, will retry: {}", call.size(), cause.toString());
            countCall(List.of(), call.size());
            return call;
        }
        // Only what SNS lists as successful is published; a refused entry, or one the response does not mention, is retried.
        List<Entry> ok = new ArrayList<>();
        for (var success : response.successful()) {
            Entry e = byId.remove(success.id());
            if (e != null) {
                ok.add(e);
            }
        }
        for (BatchResultErrorEntry error : response.failed()) {
            Entry e = byId.get(error.id());
            if (e == null) {
                continue;
            }
            if (Boolean.TRUE.equals(error.senderFault())) {
                log.error("SNS refused notice {} as malformed ({}: {}); retrying will not help until the cause is fixed",
                        e.notice().notice().id(), error.code(), error.message());
            } else {
                log.warn("SNS refused notice {} ({}: {}), will retry", e.notice().notice().id(), error.code(), error.message());
            }
        }
        List<Entry> failed = new ArrayList<>(byId.values());
        countCall(ok, failed.size());
        ok.forEach(e -> e.group().published());
        failed.sort((a, b) -> Integer.compare(call.indexOf(a), call.indexOf(b)));
        return failed;
    }

    private void countCall(List<Entry> ok, int failures) {
        lock.lock();
        try {
            calls++;
            published += ok.size();
            for (Entry e : ok) {
                keys += e.notice().notice().processed().size();
            }
            failedAttempts += failures;
        } finally {
            lock.unlock();
        }
    }

    /** Waits before a retry; false when the publisher was closed meanwhile and its drain time is over. */
    private boolean pause(int retry) {
        try {
            RETRY.sleep(retry);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Stops accepting notices, sends what is queued for up to the drain time, then fails what is left. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            sender.join(drainOnClose.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender.isAlive()) {
            sender.interrupt();
            try {
                // Let a call in flight finish and requeue its failures before the queue is failed below.
                sender.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            if (!queue.isEmpty()) {
                log.warn("{} notices were not published before shutdown; their records are not checkpointed and will be delivered again",
                        queue.size());
            }
            for (Entry e : queue) {
                e.group().done.completeExceptionally(new IllegalStateException("the notice publisher closed before publishing"));
            }
            queue.clear();
        } finally {
            lock.unlock();
        }
    }
}
