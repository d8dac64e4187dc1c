package io.streamwreck.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamwreck.adapter.TableRoutes;
import io.streamwreck.adapter.ingest.S3Location;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The bodies {@code POST /ingest} accepts, each turned into the objects to ingest:
 * <ul>
 *   <li>the seed's {@code {"table": "orders", "s3path": "s3://bucket/key"}};</li>
 *   <li>an S3 event notification ({@code {"Records": [{"eventSource": "aws:s3", "s3": {…}}]}}) as S3 sends it to
 *       SQS or a webhook, also inside an SNS envelope ({@code {"Type": "Notification", "Message": "…"}});</li>
 *   <li>an EventBridge "Object Created" event ({@code {"source": "aws.s3", "detail": {…}}}).</li>
 * </ul>
 * An S3 event names no table: it is the {@code table} query parameter, else the key's first path segment
 * ({@code orders/2026/12/04/app.log.gz} goes to table {@code orders}). Events other than object creation are
 * skipped, and S3's {@code s3:TestEvent} is accepted and ingests nothing.
 */
public final class WebhookBodies {

    /** One object to ingest, and which table it belongs to. */
    public record Wanted(String table, String stream, S3Location object) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> SEED_FIELDS = Set.of("table", "s3path");
    private static final int MAX_RECORDS = 100;

    private final TableRoutes routes;

    public WebhookBodies(TableRoutes routes) {
        this.routes = routes;
    }

    /**
     * @param body       the request body, UTF-8
     * @param tableParam the {@code table} query parameter, if given
     * @throws WebhookException 400 naming what is wrong with the body
     */
    public List<Wanted> parse(String body, Optional<String> tableParam) {
        if (body.isBlank()) {
            throw bad("EmptyBody", "the body is empty; send {\"table\": \"…\", \"s3path\": \"s3://bucket/key\"} or an S3 event notification");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw bad("MalformedJson", "the body is not JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw bad("NotAnObject", "the body is JSON but not an object (got " + kind(root) + ")");
        }
        if (root.has("Type") && root.has("Message")) {
            return snsEnvelope(root, tableParam);
        }
        if (root.has("Records")) {
            return s3Event(root, tableParam);
        }
        if ("aws.s3".equals(text(root.get("source")))) {
            return eventBridge(root, tableParam);
        }
        if ("s3:TestEvent".equals(text(root.get("Event")))) {
            return List.of();
        }
        return seed(root, tableParam);
    }

    private List<Wanted> seed(JsonNode root, Optional<String> tableParam) {
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SEED_FIELDS.contains(name)) {
                throw bad("UnknownField", "unknown field \"" + name + "\"; the body has \"table\" and \"s3path\"");
            }
        }
        String table = requiredString(root, "table");
        String path = requiredString(root, "s3path");
        if (tableParam.isPresent() && !tableParam.get().equals(table)) {
            throw bad("TableMismatch", "the table parameter \"" + tableParam.get() + "\" differs from the body's \"" + table + "\"");
        }
        S3Location object;
        try {
            object = S3Location.parse(path);
        } catch (IllegalArgumentException e) {
            throw bad("InvalidS3Path", "s3path: " + e.getMessage());
        }
        return List.of(new Wanted(table, stream(table), object));
    }

    private List<Wanted> snsEnvelope(JsonNode root, Optional<String> tableParam) {
        String type = text(root.get("Type"));
        if (!"Notification".equals(type)) {
            throw bad("UnsupportedSnsMessage", "SNS message of type \"" + type + "\" is not handled; subscribe the "
                    + "adapter's queue, or confirm an HTTP subscription yourself");
        }
        String message = text(root.get("Message"));
        if (message == null) {
            throw bad("MalformedSnsMessage", "the SNS envelope's \"Message\" is not a string");
        }
        JsonNode inner;
        try {
            inner = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            throw bad("MalformedJson", "the SNS envelope's Message is not JSON: " + e.getOriginalMessage());
        }
        if (inner != null && "s3:TestEvent".equals(text(inner.get("Event")))) {
            return List.of();
        }
        if (inner == null || !inner.isObject() || !inner.has("Records")) {
            throw bad("NotAnS3Event", "the SNS envelope's Message is not an S3 event notification (no \"Records\")");
        }
        return s3Event(inner, tableParam);
    }

    private List<Wanted> s3Event(JsonNode root, Optional<String> tableParam) {
        JsonNode records = root.get("Records");
        if (!records.isArray()) {
            throw bad("MalformedS3Event", "\"Records\" is not an array (got " + kind(records) + ")");
        }
        if (records.isEmpty()) {
            throw bad("MalformedS3Event", "\"Records\" is empty");
        }
        if (records.size() > MAX_RECORDS) {
            throw bad("TooManyRecords", "\"Records\" holds " + records.size() + " records; at most " + MAX_RECORDS);
        }
        List<Wanted> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode r = records.get(i);
            String where = "Records[" + i + "]";
            if (!r.isObject()) {
                throw bad("MalformedS3Event", where + " is not an object");
            }
            String source = text(r.get("eventSource"));
            if (!"aws:s3".equals(source)) {
                throw bad("NotAnS3Event", where + ".eventSource is " + (source == null ? "missing" : "\"" + source + "\"") + ", not \"aws:s3\"");
            }
            String event = text(r.get("eventName"));
            if (event == null) {
                throw bad("MalformedS3Event", where + ".eventName is missing");
            }
            if (!event.startsWith("ObjectCreated:")) {
                continue;
            }
            String bucket = text(r.at("/s3/bucket/name"));
            String rawKey = text(r.at("/s3/object/key"));
            if (bucket == null || rawKey == null) {
                throw bad("MalformedS3Event", where + " lacks s3.bucket.name or s3.object.key");
            }
            // S3 URL-encodes the key in notifications (a space arrives as '+').
            String key = URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
            out.add(wanted(where, bucket, key, tableParam));
        }
        return out;
    }

    private List<Wanted> eventBridge(JsonNode root, Optional<String> tableParam) {
        String type = text(root.get("detail-type"));
        if (!"Object Created".equals(type)) {
            return List.of();
        }
        String bucket = text(root.at("/detail/bucket/name"));
        String key = text(root.at("/detail/object/key"));
        if (bucket == null || key == null) {
            throw bad("MalformedS3Event", "the EventBridge event lacks detail.bucket.name or detail.object.key");
        }
        return List.of(wanted("detail", bucket, key, tableParam));
    }

    private Wanted wanted(String where, String bucket, String key, Optional<String> tableParam) {
        S3Location object;
        try {
            object = new S3Location(bucket, key);
        } catch (IllegalArgumentException e) {
            throw bad("InvalidS3Path", where + ": " + e.getMessage());
        }
        String table = tableParam.orElseGet(() -> key.contains("/") ? key.substring(0, key.indexOf('/')) : "");
        if (table.isEmpty()) {
            throw bad("NoTable", where + ": s3://" + bucket + "/" + key + " names no table: add ?table=NAME to the webhook URL "
                    + "or put the object under a prefix named after its table");
        }
        return new Wanted(table, stream(table), object);
    }

    private String stream(String table) {
        return routes.streamOf(table).orElseThrow(() -> bad("UnknownTable",
                "unknown table \"" + table + "\"; configured: " + String.join(", ", routes.asMap().keySet())));
    }

    private static String requiredString(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            throw bad("MissingField", "\"" + field + "\" is missing");
        }
        if (!v.isTextual()) {
            throw bad("InvalidField", "\"" + field + "\" must be a string (got " + kind(v) + ")");
        }
        if (v.asText().isBlank()) {
            throw bad("InvalidField", "\"" + field + "\" is empty");
        }
        return v.asText();
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private static String kind(JsonNode n) {
        return n == null ? "nothing" : n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static WebhookException bad(String code, String message) {
        return new WebhookException(400, code, message);
    }
}
