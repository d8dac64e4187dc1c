package io.streamwreck.notified;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import io.streamwreck.core.notice.Notice;
import io.streamwreck.core.notice.NoticeCodec;
import io.streamwreck.local.lambda.SnsEventJson;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SNS events for the handler, built in-process as SNS → Lambda delivers them, or read from fixtures. */
final class SnsEvents {

    static final String TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:streamwreck-notices";
    private static final NoticeCodec CODEC = new NoticeCodec();

    private SnsEvents() {
    }

    /** One record per notice (SNS → Lambda delivers one; several test how a batch of records is handled). */
    static SNSEvent of(Notice... notices) {
        List<SNSEvent.SNSRecord> records = new ArrayList<>();
        for (Notice n : notices) {
            records.add(record(UUID.randomUUID().toString(), CODEC.encode(n)));
        }
        return new SNSEvent().withRecords(records);
    }

    /** A record carrying any message text, as SNS would deliver it. */
    static SNSEvent.SNSRecord record(String messageId, String message) {
        SNSEvent.SNS sns = new SNSEvent.SNS()
                .withType("Notification").withMessageId(messageId).withTopicArn(TOPIC_ARN).withMessage(message)
                .withTimestamp(new DateTime(DateTimeZone.UTC)).withSignatureVersion("1")
                .withMessageAttributes(Map.of("stream", new SNSEvent.MessageAttribute().withType("String").withValue("orders")));
        return new SNSEvent.SNSRecord().withEventSource("aws:sns").withEventVersion("1.0")
                .withEventSubscriptionArn(TOPIC_ARN + ":" + UUID.randomUUID()).withSns(sns);
    }

    static SNSEvent of(List<SNSEvent.SNSRecord> records) {
        return new SNSEvent().withRecords(records);
    }

    /** A fixture under {@code src/test/resources/events/}, bound as the Lambda runtime binds it. */
    static SNSEvent fixture(String name) {
        return SnsEventJson.toSnsEvent(fixtureJson(name));
    }

    static String fixtureJson(String name) {
        try (InputStream in = SnsEvents.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture events/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
