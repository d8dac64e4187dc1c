package io.streamwreck.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.Notice;
import io.streamwreck.core.notice.NoticeCodec;
import io.streamwreck.local.standin.LocalStack;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything published to a topic, read back from an SQS queue subscribed to it (SNS → SQS is how the real
 * notified runtime receives notices too): the test's view of what the fleet reported.
 */
final class NoticeCollector implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;
    private final NoticeCodec codec = new NoticeCodec();
    private final List<Notice> notices = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    /** When SNS accepted each notice: the SQS message's SentTimestamp, set by moto as it fans the publish out. */
    private final Map<String, Instant> sentAt = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread poller;

    private NoticeCollector(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.poller = new Thread(this::poll, "notice-collector");
        poller.setDaemon(true);
        poller.start();
    }

    static NoticeCollector subscribe(LocalStack stack, String topicArn, String name) {
        SqsClient sqs = stack.sqs();
        String queueUrl = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        stack.sns().subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn));
        return new NoticeCollector(sqs, queueUrl);
    }

    private void poll() {
        while (running.get()) {
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                        .messageSystemAttributeNamesWithStrings("SentTimestamp").attributeNamesWithStrings("SentTimestamp")).messages();
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                continue;
            }
            for (Message m : messages) {
                String sent = m.attributesAsStrings().get("SentTimestamp");
                add(m.body(), sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent)));
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    private void add(String envelope, Instant sent) {
        try {
            JsonNode sns = JSON.readTree(envelope);
            Notice notice = codec.decode(sns.get("Message").asText());
            synchronized (this) {
                // SQS may deliver a message twice; a notice id is recorded once, as the ledger does.
                if (ids.add(notice.id())) {
                    notices.add(notice);
                    if (sent != null) {
                        sentAt.put(notice.id(), sent);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized List<Notice> notices() {
        return List.copyOf(notices);
    }

    /** When SNS accepted the notice {@code id}, if it was received and its queue said so. */
    synchronized Instant sentAt(String id) {
        return sentAt.get(id);
    }

    /** How many notices reported each key. */
    synchronized Map<RecordKey, Integer> processedCounts() {
        Map<RecordKey, Integer> counts = new HashMap<>();
        for (Notice n : notices) {
            for (RecordKey k : n.processed()) {
                counts.merge(k, 1, Integer::sum);
            }
        }
        return counts;
    }

    @Override
    public void close() {
        running.set(false);
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
