package io.streamwreck.notified;

import io.streamwreck.core.notice.Notice;
import io.streamwreck.core.notice.NoticeCodec;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishBatchResultEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Publishes messages to the notices topic the way the processor does: PublishBatch, up to 10 per call, with attributes. */
final class NoticePublisher {

    private static final NoticeCodec CODEC = new NoticeCodec();

    private final SnsClient sns;
    private final String topicArn;

    NoticePublisher(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    /** Publishes the notices, in order; returns the SNS message id of each. */
    List<String> publish(List<Notice> notices) {
        List<String> messages = new ArrayList<>();
        List<Map<String, String>> attributes = new ArrayList<>();
        for (Notice n : notices) {
            messages.add(CODEC.encode(n));
            attributes.add(Map.of("stream", n.stream(), "app", n.app(), "shardId", n.shardId()));
        }
        return publishRaw(messages, attributes);
    }

    /** Publishes any message texts (malformed notices included), each with the given attributes. */
    List<String> publishRaw(List<String> messages, List<Map<String, String>> attributes) {
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += 10) {
            List<PublishBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(from + 10, messages.size()); i++) {
                Map<String, MessageAttributeValue> attrs = new java.util.HashMap<>();
                attributes.get(i).forEach((k, v) -> attrs.put(k, MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
                entries.add(PublishBatchRequestEntry.builder().id("n" + i).message(messages.get(i)).messageAttributes(attrs).build());
            }
            PublishBatchResponse response = sns.publishBatch(b -> b.topicArn(topicArn).publishBatchRequestEntries(entries));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException("SNS refused notices: " + response.failed());
            }
            // PublishBatch answers in no promised order: match the results to the entries by their ids.
            Map<String, String> byEntry = new java.util.HashMap<>();
            for (PublishBatchResultEntry r : response.successful()) {
                byEntry.put(r.id(), r.messageId());
            }
            for (PublishBatchRequestEntry e : entries) {
                ids.add(byEntry.get(e.id()));
            }
        }
        return ids;
    }
}
