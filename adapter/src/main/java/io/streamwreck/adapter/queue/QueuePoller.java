package io.streamwreck.adapter.queue;

import io.streamwreck.adapter.AdapterService;
import io.streamwreck.adapter.http.WebhookBodies;
import io.streamwreck.adapter.http.WebhookException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook's way in on AWS: S3 sends its event notifications to an SQS queue, and every adapter instance
 * long-polls that queue and hands each message body to the same path {@code POST /ingest} takes. So the webhook
 * needs no route from S3 (SNS and EventBridge can only call public HTTPS endpoints) and stays reachable from
 * inside the VPC only.
 * <p>
 * A message is deleted once its files are registered (a redelivery ingests nothing twice: registration is
 * idempotent per object). A 503 (maintenance, draining, database or S3 away) leaves it on the queue, visible again
 * after the queue's visibility timeout, for this or another instance; a 4xx (not an S3 event, a missing object)
 * also stays, so the queue's redrive policy moves it to the dead-letter queue after a few receives, where it can
 * be looked at instead of vanishing.
 */
public final class QueuePoller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QueuePoller.class);
    private static final int WAIT_SECONDS = 20;

    private final SqsClient sqs;
    private final String queueUrl;
    private final AdapterService service;
    private final WebhookBodies bodies;
    private final Duration pauseAfterFailure;
    private final AtomicLong registered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    public QueuePoller(SqsClient sqs, String queueUrl, AdapterService service, Duration pauseAfterFailure) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.service = service;
        this.bodies = new WebhookBodies(service.routes());
        this.pauseAfterFailure = pauseAfterFailure;
        this.thread = new Thread(this::run, "adapter-queue");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Messages whose files were registered (and that were deleted). */
    public long registered() {
        return registered.get();
    }

    /** Messages refused with a 4xx or 503, left on the queue. */
    public long refused() {
        return refused.get();
    }

    /**
     * Handles one message: true when it was registered and may be deleted, false when it stays on the queue.
     */
    boolean handle(String body) {
        try {
            List<AdapterService.Registered> r = service.register(bodies.parse(body, Optional.empty()));
            log.debug("queue message registered {} file(s)", r.size());
            return true;
        } catch (WebhookException e) {
            refused.incrementAndGet();
            if (e.status() >= 500) {
                log.info("queue message left for later ({} {}): {}", e.status(), e.code(), e.getMessage());
            } else {
                log.warn("queue message refused ({} {}), left for the dead-letter queue: {}", e.status(), e.code(), e.getMessage());
            }
            return false;
        }
    }

    private void run() {
        while (running) {
            try {
                List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .waitTimeSeconds(WAIT_SECONDS)).messages();
                for (Message m : messages) {
                    if (!running || !handle(m.body())) {
                        continue;
                    }
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                    registered.incrementAndGet();
                }
            } catch (SdkException e) {
                if (!running) {
                    return;
                }
                log.warn("SQS {} did not answer, trying again in {} ms: {}", queueUrl, pauseAfterFailure.toMillis(), e.getMessage());
                try {
                    Thread.sleep(pauseAfterFailure.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Stops receiving (before a drain: a message received now would only wait out its visibility timeout). */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
