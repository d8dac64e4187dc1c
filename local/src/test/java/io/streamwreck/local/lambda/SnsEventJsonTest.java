package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.joda.time.DateTimeZone;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnsEventJsonTest {

    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:notices";
    private static final String SUBSCRIPTION = TOPIC + ":0f3a5f0e-7a43-4c1c-9d8e-2f4b5c6d7e8f";

    /** An SQS body exactly as moto 5.2.1 delivered it (signature shortened). */
    private static final String ENVELOPE = """
            {
              "Message": "{\\"v\\":1}",
              "MessageAttributes": {
                "stream": {
                  "Type": "String",
                  "Value": "orders"
                }
              },
              "MessageId": "a9e5eecf-67b2-40a4-b74d-65e42596b6fc",
              "Signature": "lsdJsTGQSwLtvpyleZFs9BEjgkrWQg==",
              "SignatureVersion": "2",
              "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-7eccc4d260134ac897312178b1a39630.pem",
              "Timestamp": "2026-11-22T02:07:02.500Z",
              "TopicArn": "arn:aws:sns:us-east-1:123456789012:notices",
              "Type": "Notification",
              "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x"
            }""";

    @Test
    void anEnvelopeBecomesTheRecordLambdaReceivesWithLambdasSpellings() {
        ObjectNode record = SnsEventJson.recordFromEnvelope(ENVELOPE, SUBSCRIPTION);

        assertThat(record.get("EventSource").asText()).isEqualTo("aws:sns");
        assertThat(record.get("EventVersion").asText()).isEqualTo("1.0");
        assertThat(record.get("EventSubscriptionArn").asText()).isEqualTo(SUBSCRIPTION);
        assertThat(record.at("/Sns/SigningCertUrl").asText()).startsWith("https://sns.us-east-1.amazonaws.com/");
        assertThat(record.at("/Sns/UnsubscribeUrl").asText()).contains("Action=Unsubscribe");
        assertThat(record.at("/Sns/Subject").isNull()).isTrue();
        assertThat(record.at("/Sns/MessageAttributes/stream/Value").asText()).isEqualTo("orders");
        assertThat(record.get("Sns").has("SigningCertURL")).isFalse();
    }

    @Test
    void theEventBindsToSnsEventWithAJodaTimestampInUtc() {
        SNSEvent event = SnsEventJson.toSnsEvent(SnsEventJson.event(List.of(SnsEventJson.recordFromEnvelope(ENVELOPE, SUBSCRIPTION))));

        assertThat(event.getRecords()).hasSize(1);
        SNSEvent.SNS sns = event.getRecords().get(0).getSNS();
        assertThat(sns.getMessage()).isEqualTo("{\"v\":1}");
        assertThat(sns.getMessageId()).isEqualTo("a9e5eecf-67b2-40a4-b74d-65e42596b6fc");
        assertThat(sns.getTopicArn()).isEqualTo(TOPIC);
        assertThat(sns.getSignatureVersion()).isEqualTo("2");
        assertThat(sns.getTimestamp().getMillis()).isEqualTo(Instant.parse("2026-11-22T02:07:02.500Z").toEpochMilli());
        assertThat(sns.getTimestamp().getZone()).isEqualTo(DateTimeZone.UTC);
        assertThat(sns.getMessageAttributes().get("stream").getType()).isEqualTo("String");
        assertThat(event.getRecords().get(0).getEventSubscriptionArn()).isEqualTo(SUBSCRIPTION);
    }

    @Test
    void somethingOtherThanANotificationEnvelopeIsRejectedWithTheReason() {
        assertThatThrownBy(() -> SnsEventJson.recordFromEnvelope("{\"Type\":\"SubscriptionConfirmation\"}", SUBSCRIPTION))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SubscriptionConfirmation");
        assertThatThrownBy(() -> SnsEventJson.recordFromEnvelope("not json", SUBSCRIPTION))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> SnsEventJson.recordFromEnvelope("{\"Type\":\"Notification\",\"MessageId\":\"m\"}", SUBSCRIPTION))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TopicArn");
        assertThatThrownBy(() -> SnsEventJson.toSnsEvent("{\"Records\":{}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Records");
    }
}
