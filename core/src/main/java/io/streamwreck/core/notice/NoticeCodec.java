package io.streamwreck.core.notice;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamwreck.core.InvalidKeyException;
import io.streamwreck.core.RecordKey;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes notices as the JSON of DESIGN.md "Notices". Thread-safe.
 *
 * <p>Decoding walks the JSON tree by hand rather than binding it, so that every rejection can name the
 * field (and the index in {@code processed}) that is wrong. Unknown fields are ignored: a newer writer may
 * add fields without a new version.
 */
public final class NoticeCodec {

    private final JsonFactory factory;
    private final ObjectMapper mapper;

    public NoticeCodec() {
        this.factory = JsonFactory.builder()
                // Notices are at most 256 KiB; anything much larger is not one of ours.
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(1 << 20).maxNestingDepth(16).build())
                .build();
        // One notice per message: text after the JSON object (e.g. a second notice) makes it malformed.
        this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The notice as compact JSON. */
    public String encode(Notice notice) {
        StringWriter out = new StringWriter(256 + notice.processed().size() * 60);
        try (JsonGenerator json = factory.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("v", notice.version());
            json.writeStringField("id", notice.id());
            json.writeStringField("stream", notice.stream());
            json.writeStringField("app", notice.app());
            json.writeStringField("shardId", notice.shardId());
            json.writeStringField("worker", notice.worker());
            json.writeObjectFieldStart("batch");
            json.writeStringField("first", notice.batch().first());
            json.writeStringField("last", notice.batch().last());
            json.writeNumberField("received", notice.batch().received());
            json.writeEndObject();
            if (notice.version() == Notice.COMPACT_VERSION) {
                json.writeNumberField("count", notice.processed().size());
                json.writeStringField("keys", CompactKeys.encode(notice.batch().first(), notice.processed()));
            } else {
                json.writeArrayFieldStart("processed");
                for (RecordKey key : notice.processed()) {
                    json.writeString(key.sequencePart());
                }
                json.writeEndArray();
            }
            json.writeStringField("at", notice.at().toString());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a notice to memory", e);
        }
        return out.toString();
    }

    /**
     * Decodes one notice.
     *
     * @throws NoticeFormatException naming the field that is wrong when the text is not a valid notice
     */
    public Notice decode(String json) {
        if (json == null || json.isBlank()) {
            throw new NoticeFormatException("the notice is empty");
        }
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new NoticeFormatException("the notice is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new NoticeFormatException("the notice must be a JSON object");
        }
        JsonNode v = root.get("v");
        if (v == null || !v.isIntegralNumber()) {
            throw new NoticeFormatException("field \"v\" (the format version) is missing or not an integer");
        }
        if (!v.canConvertToInt() || (v.asInt() != Notice.VERSION && v.asInt() != Notice.COMPACT_VERSION)) {
            throw new NoticeFormatException("unsupported notice version " + v.asText()
                    + "; this build reads versions " + Notice.VERSION + " and " + Notice.COMPACT_VERSION);
        }
        String shardId = text(root, "shardId");
        try {
            RecordKey.validateShardId(shardId);
        } catch (InvalidKeyException e) {
            throw new NoticeFormatException("field \"shardId\": " + e.getMessage(), e);
        }
        JsonNode batchNode = root.get("batch");
        if (batchNode == null || !batchNode.isObject()) {
            throw new NoticeFormatException("field \"batch\" is missing or not an object");
        }
        JsonNode received = batchNode.get("received");
        if (received == null || !received.isIntegralNumber() || !received.canConvertToInt()) {
            throw new NoticeFormatException("field \"batch.received\" is missing or not an integer");
        }
        String first = sequenceField(batchNode, "first");
        String last = sequenceField(batchNode, "last");
        DeliveredBatch batch;
        try {
            batch = new DeliveredBatch(first, last, received.asInt());
        } catch (IllegalArgumentException e) {
            throw new NoticeFormatException("field \"batch\": " + e.getMessage(), e);
        }
        List<RecordKey> processed = v.asInt() == Notice.COMPACT_VERSION
                ? compactKeys(root, shardId, first)
                : processedArray(root, shardId);
        Instant at;
        try {
            at = Instant.parse(text(root, "at"));
        } catch (DateTimeParseException e) {
            throw new NoticeFormatException("field \"at\" is not an ISO-8601 instant: " + e.getParsedString(), e);
        }
        try {
            return new Notice(v.asInt(), text(root, "id"), text(root, "stream"), text(root, "app"), shardId,
                    text(root, "worker"), batch, processed, at);
        } catch (IllegalArgumentException e) {
            throw new NoticeFormatException(e.getMessage(), e);
        }
    }

    /** Version 2: the keys in {@link CompactKeys} form, relative to the batch's first sequence number. */
    private static List<RecordKey> compactKeys(JsonNode root, String shardId, String first) {
        JsonNode count = root.get("count");
        if (count == null || !count.isIntegralNumber() || !count.canConvertToInt() || count.asInt() < 0) {
            throw new NoticeFormatException("field \"count\" (how many keys \"keys\" holds) is missing or not a non-negative integer");
        }
        JsonNode keys = root.get("keys");
        if (keys == null || !keys.isTextual()) {
            throw new NoticeFormatException("field \"keys\" is missing or not a string");
        }
        return CompactKeys.decode(shardId, first, keys.textValue(), count.asInt());
    }

    private static List<RecordKey> processedArray(JsonNode root, String shardId) {
        JsonNode processedNode = root.get("processed");
        if (processedNode == null || !processedNode.isArray()) {
            throw new NoticeFormatException("field \"processed\" is missing or not an array");
        }
        List<RecordKey> processed = new ArrayList<>(processedNode.size());
        for (int i = 0; i < processedNode.size(); i++) {
            JsonNode item = processedNode.get(i);
            if (!item.isTextual()) {
                throw new NoticeFormatException("processed[" + i + "] must be a string \"SEQ\" or \"SEQ:SUB\", was " + item.getNodeType());
            }
            try {
                processed.add(RecordKey.parseInShard(shardId, item.textValue()));
            } catch (InvalidKeyException e) {
                throw new NoticeFormatException("processed[" + i + "] " + e.getMessage(), e);
            }
        }
        return processed;
    }

    private static String sequenceField(JsonNode batchNode, String field) {
        String value = text(batchNode, field, "batch." + field);
        try {
            return RecordKey.validateSequenceNumber(value);
        } catch (InvalidKeyException e) {
            throw new NoticeFormatException("field \"batch." + field + "\": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        return text(node, field, field);
    }

    private static String text(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new NoticeFormatException("field \"" + path + "\" is missing, blank or not a string");
        }
        return value.textValue();
    }
}
