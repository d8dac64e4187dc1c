package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of an SNS → Lambda event in the shape AWS documents, and its binding to {@link SNSEvent}.
 *
 * <p>SNS delivers to an SQS subscription an envelope ({@code Type}, {@code MessageId}, {@code TopicArn},
 * {@code Message}, {@code MessageAttributes}, {@code Timestamp}, {@code SigningCertURL}, …); to a Lambda
 * function it delivers the same fields inside {@code {"Records":[{"EventSource":"aws:sns","EventVersion":"1.0",
 * "EventSubscriptionArn":…,"Sns":{…}}]}}, with two keys spelled {@code SigningCertUrl} and
 * {@code UnsubscribeUrl}, a {@code Subject} that is null when absent and {@code MessageAttributes} that is
 * never missing.
 *
 * <p>The event is bound by hand rather than with plain Jackson because {@link SNSEvent} holds Joda
 * {@code DateTime} timestamps and a {@code getSNS()}/{@code setSns()} pair that plain Jackson cannot bind (the
 * Lambda Java runtime uses its own serializer with mix-ins). Thread-safe.
 */
public final class SnsEventJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SnsEventJson() {
    }

    /**
     * One event record as Lambda receives it, from the SNS envelope that an SQS subscription received.
     *
     * @throws IllegalArgumentException when {@code envelope} is not an SNS notification envelope
     */
    public static ObjectNode recordFromEnvelope(String envelope, String subscriptionArn) {
        JsonNode in = parse(envelope, "SNS envelope");
        if (!in.isObject() || !"Notification".equals(in.path("Type").asText(null))) {
            throw new IllegalArgumentException("not an SNS notification envelope (Type is "
                    + in.path("Type").asText("missing") + ")");
        }
        for (String required : List.of("MessageId", "TopicArn", "Message", "Timestamp")) {
            if (!in.path(required).isTextual()) {
                throw new IllegalArgumentException("the SNS envelope has no " + required);
            }
        }
        ObjectNode sns = JSON.createObjectNode();
        sns.put("Type", in.get("Type").asText());
        sns.put("MessageId", in.get("MessageId").asText());
        sns.put("TopicArn", in.get("TopicArn").asText());
        sns.set("Subject", in.path("Subject").isTextual() ? in.get("Subject") : JSON.nullNode());
        sns.put("Message", in.get("Message").asText());
        sns.put("Timestamp", in.get("Timestamp").asText());
        sns.put("SignatureVersion", in.path("SignatureVersion").asText("1"));
        sns.put("Signature", in.path("Signature").asText(""));
        sns.put("SigningCertUrl", in.path("SigningCertURL").asText(""));
        sns.put("UnsubscribeUrl", in.path("UnsubscribeURL").asText(""));
        ObjectNode attributes = sns.putObject("MessageAttributes");
        in.path("MessageAttributes").properties().forEach(a -> attributes.putObject(a.getKey())
                .put("Type", a.getValue().path("Type").asText())
                .put("Value", a.getValue().path("Value").asText()));

        ObjectNode record = JSON.createObjectNode();
        record.put("EventVersion", "1.0");
        record.put("EventSubscriptionArn", subscriptionArn);
        record.put("EventSource", "aws:sns");
        record.set("Sns", sns);
        return record;
    }

    /** The event JSON {@code {"Records":[…]}} holding the given records. */
    public static String event(List<ObjectNode> records) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode array = event.putArray("Records");
        records.forEach(array::add);
        return event.toString();
    }

    /**
     * Binds event JSON (as AWS documents it, or as {@link #event} writes it) to {@link SNSEvent}, the way the
     * Lambda Java runtime does for a {@code RequestHandler<SNSEvent, ?>}.
     *
     * @throws IllegalArgumentException when the JSON is not an SNS event
     */
    public static SNSEvent toSnsEvent(String eventJson) {
        JsonNode root = parse(eventJson, "SNS event");
        JsonNode records = root.path("Records");
        if (!records.isArray()) {
            throw new IllegalArgumentException("an SNS event needs a Records array");
        }
        List<SNSEvent.SNSRecord> bound = new ArrayList<>(records.size());
        for (JsonNode r : records) {
            bound.add(new SNSEvent.SNSRecord()
                    .withEventVersion(text(r, "EventVersion"))
                    .withEventSource(text(r, "EventSource"))
                    .withEventSubscriptionArn(text(r, "EventSubscriptionArn"))
                    .withSns(sns(r.path("Sns"))));
        }
        return new SNSEvent().withRecords(bound);
    }

    private static SNSEvent.SNS sns(JsonNode s) {
        if (!s.isObject()) {
            throw new IllegalArgumentException("an SNS event record needs an Sns object");
        }
        Map<String, SNSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> a : s.path("MessageAttributes").properties()) {
            attributes.put(a.getKey(), new SNSEvent.MessageAttribute()
                    .withType(text(a.getValue(), "Type")).withValue(text(a.getValue(), "Value")));
        }
        return new SNSEvent.SNS()
                .withType(text(s, "Type"))
                .withMessageId(text(s, "MessageId"))
                .withTopicArn(text(s, "TopicArn"))
                .withSubject(text(s, "Subject"))
                .withMessage(text(s, "Message"))
                .withTimestamp(timestamp(text(s, "Timestamp")))
                .withSignatureVersion(text(s, "SignatureVersion"))
                .withSignature(text(s, "Signature"))
                .withSigningCertUrl(text(s, "SigningCertUrl"))
                .withUnsubscribeUrl(text(s, "UnsubscribeUrl"))
                .withMessageAttributes(attributes);
    }

    private static DateTime timestamp(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return new DateTime(Instant.parse(iso).toEpochMilli(), DateTimeZone.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Sns.Timestamp is not an ISO-8601 instant: " + iso, e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static JsonNode parse(String json, String what) {
        try {
            JsonNode node = json == null ? null : JSON.readTree(json);
            if (node == null) {
                throw new IllegalArgumentException("the " + what + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the " + what + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
