package io.streamwreck.streamchecker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.KeyStatus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of {@code POST /reconcile} from the client's side (DESIGN.md "Checker API"): the request
 * {@code {"Stream":…,"Application":…,"Keys":[…]}} and the 200 answer read back into one status per key asked.
 */
final class ReconcileJson {

    private static final JsonFactory JSON = new JsonFactory();

    private ReconcileJson() {
    }

    /** @param application null to let the checker use its default application */
    static byte[] request(String stream, String application, List<RecordKey> keys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + keys.size() * 84);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("Stream", stream);
            if (application != null) {
                g.writeStringField("Application", application);
            }
            g.writeArrayFieldStart("Keys");
            for (RecordKey key : keys) {
                g.writeString(key.toString());
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return out.toByteArray();
    }

    /** What a 200 answer said. */
    record Answer(List<KeyStatus> statuses, String application) {
    }

    /**
     * Reads a 200 answer. Keys not listed in Skipped, Undelivered or Duplicated were processed once (the checker
     * lists only drift).
     *
     * @throws ScanFailedException when the answer is not JSON of that shape, or does not fit what was asked
     */
    static Answer answer(byte[] body, List<RecordKey> asked) {
        Map<String, Integer> index = new HashMap<>(asked.size() * 2);
        for (int i = 0; i < asked.size(); i++) {
            index.put(asked.get(i).toString(), i);
        }
        Classification[] classes = new Classification[asked.size()];
        Arrays.fill(classes, Classification.PROCESSED);
        long[] counts = new long[asked.size()];
        Arrays.fill(counts, 1);
        long checked = -1;
        String application = null;
        List<String> ambiguous = new ArrayList<>();
        try (JsonParser p = JSON.createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "an object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "Checked" -> checked = p.getLongValue();
                    case "Application" -> application = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "Skipped" -> mark(p, index, classes, counts, Classification.SKIPPED);
                    case "Undelivered" -> mark(p, index, classes, counts, Classification.UNDELIVERED);
                    case "Pending" -> mark(p, index, classes, counts, Classification.PENDING);
                    case "Duplicated" -> duplicated(p, index, classes, counts);
                    case "Ambiguous" -> {
                        expect(value, JsonToken.START_ARRAY, "Ambiguous to be an array");
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            ambiguous.add(p.getText());
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new ScanFailedException("the checker's answer is not the JSON of /reconcile: " + ScanFailedException.rootMessage(e), e);
        }
        if (!ambiguous.isEmpty()) {
            throw new ScanFailedException("the checker called " + ambiguous.size() + " shard-qualified keys ambiguous");
        }
        if (checked != asked.size()) {
            throw new ScanFailedException("the checker answered for " + checked + " keys, asked " + asked.size());
        }
        List<KeyStatus> statuses = new ArrayList<>(asked.size());
        for (int i = 0; i < asked.size(); i++) {
            statuses.add(new KeyStatus(asked.get(i), classes[i], classes[i] == Classification.PROCESSED ? 1 : counts[i]));
        }
        return new Answer(statuses, application);
    }

    private static void mark(JsonParser p, Map<String, Integer> index, Classification[] classes, long[] counts,
                             Classification as) throws IOException {
        expect(p.currentToken(), JsonToken.START_ARRAY, "a list of keys");
        while (p.nextToken() == JsonToken.VALUE_STRING) {
            int i = position(index, p.getText());
            classes[i] = as;
            counts[i] = 0;
        }
        expect(p.currentToken(), JsonToken.END_ARRAY, "a list of keys");
    }

    private static void duplicated(JsonParser p, Map<String, Integer> index, Classification[] classes, long[] counts)
            throws IOException {
        expect(p.currentToken(), JsonToken.START_ARRAY, "Duplicated to be a list");
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String key = null;
            long count = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "Key" -> key = p.getText();
                    case "Count" -> count = p.getLongValue();
                    default -> p.skipChildren();
                }
            }
            int i = position(index, key);
            classes[i] = Classification.DUPLICATED;
            counts[i] = count;
        }
        expect(p.currentToken(), JsonToken.END_ARRAY, "Duplicated to be a list");
    }

    private static int position(Map<String, Integer> index, String key) {
        Integer i = key == null ? null : index.get(key);
        if (i == null) {
            throw new ScanFailedException("the checker answered about a key it was not asked: " + key);
        }
        return i;
    }

    private static void expect(JsonToken actual, JsonToken wanted, String what) {
        if (actual != wanted) {
            throw new ScanFailedException("the checker's answer is not the JSON of /reconcile: expected " + what + ", found " + actual);
        }
    }

    /**
     * The message of an error answer: the checker's {@code {"Error","Message"}}, API Gateway's {@code {"message"}},
     * or the start of whatever else came back.
     */
    static String errorMessage(byte[] body) {
        String code = null;
        String message = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "Error" -> code = p.getValueAsString();
                        case "Message", "message" -> message = p.getValueAsString();
                        default -> p.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            // Not JSON: show what it is instead.
        }
        if (message != null) {
            return ScanFailedException.oneLine(code == null ? message : code + ": " + message);
        }
        String text = ScanFailedException.oneLine(new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8));
        return text.isEmpty() ? "(no body)" : text + (body.length > 200 ? "…" : "");
    }
}
