package io.streamwreck.checker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.streamwreck.core.InvalidKeyException;
import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.Scope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the body of {@code POST /reconcile} in one streaming pass — Jackson's, or for the usual flat array of
 * plain keys a plain scan ({@link #readFlatArray}) — in any of its three shapes (DESIGN.md "Checker API"):
 * <ul>
 *   <li>{@code ["4959…650", …]} — the seed's bare sequence numbers, in the default scope;</li>
 *   <li>{@code ["shardId-000000000001:4959…650", …]} — shard-qualified keys, in the default scope;</li>
 *   <li>{@code {"Stream":"orders","Application":"billing","Keys":[…]}} — either form of keys; Stream and
 *       Application override the default scope and may be left out.</li>
 * </ul>
 * Every key is validated; the first problem found ends the read with an {@link ApiException} that names the
 * item and its index. One request holds one form of keys. A key asked twice is answered once.
 */
final class ReconcileRequestReader {

    private static final JsonFactory JSON = JsonFactory.builder()
            // Locations in messages without an excerpt of the body: the message quotes what matters itself.
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            // A deeply nested body is refused at the first nested item anyway; this bounds the parser's own stack.
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    /** Jackson names the (redacted) source inside nested locations: "[Source: REDACTED (…); line: 1, …]". */
    private static final Pattern SOURCE_IN_LOCATION = Pattern.compile("\\[Source: [^;]*; ");

    private final String defaultStream;
    private final String defaultApplication;
    private final int maxKeys;
    private final boolean flatArrayFastPath;

    /**
     * @param defaultStream      the stream of the default scope (STREAM_NAME), or null when there is none
     * @param defaultApplication the application of the default scope (APP_NAME), or null when there is none
     */
    ReconcileRequestReader(String defaultStream, String defaultApplication, int maxKeys) {
        this(defaultStream, defaultApplication, maxKeys, true);
    }

    /** @param flatArrayFastPath false to read every body with Jackson (tests compare the two) */
    ReconcileRequestReader(String defaultStream, String defaultApplication, int maxKeys, boolean flatArrayFastPath) {
        this.defaultStream = defaultStream;
        this.defaultApplication = defaultApplication;
        this.maxKeys = maxKeys;
        this.flatArrayFastPath = flatArrayFastPath;
    }

    /**
     * @param body the body as text (already checked for size and encoding)
     * @throws ApiException 400 for malformed input, 413 for more than {@code maxKeys} keys
     */
    ReconcileRequest read(String body) {
        String text = body == null ? "" : body;
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw ApiException.badRequest("EmptyBody", "the body is empty; send a JSON array of keys, "
                    + "e.g. [\"shardId-000000000001:4959…650\"], or {\"Keys\":[…]}");
        }
        if (flatArrayFastPath) {
            ReconcileRequest flat = readFlatArray(text);
            if (flat != null) {
                return flat;
            }
        }
        try (JsonParser parser = JSON.createParser(text)) {
            JsonToken first = parser.nextToken();
            ReconcileRequest request;
            if (first == JsonToken.START_ARRAY) {
                Keys keys = readKeys(parser, "");
                request = keys.toRequest(scope(null, null));
            } else if (first == JsonToken.START_OBJECT) {
                request = readObject(parser);
            } else {
                throw ApiException.badRequest("InvalidRequest", "the body must be a JSON array of keys or an object "
                        + "{\"Keys\":[…]}; found " + describe(parser, first));
            }
            JsonToken after = parser.nextToken();
            if (after != null) {
                throw ApiException.badRequest("InvalidJson", "unexpected content after the JSON value, "
                        + at(parser.currentTokenLocation()) + "; send one JSON array or object");
            }
            return request;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("InvalidJson", "the body is not valid JSON: "
                    + SOURCE_IN_LOCATION.matcher(e.getOriginalMessage()).replaceAll("[") + " (" + at(e.getLocation()) + ")");
        } catch (IOException e) {
            // Reading from a String: only the parser's own exceptions above can happen.
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The usual request — a flat array of plain keys, as the stream-checker and the seed's curl send it — read
     * without a JSON parser: each key is cut straight out of the body. Returns null at the first thing that is
     * not that shape (an object, an escape anywhere, malformed JSON, more than {@code maxKeys} keys) and also at
     * the first key refused, so that the caller reads the body again with Jackson, which then gives the answer
     * and every error message: the two paths answer alike by construction (and ReconcileRequestReaderTest checks
     * it). Keys hold no quotes or backslashes, so finding the closing quote is one vectorised {@code indexOf}.
     */
    private ReconcileRequest readFlatArray(String text) {
        int n = text.length();
        int i = skipWhitespace(text, 0);
        if (i == n || text.charAt(i) != '[' || text.indexOf('\\') >= 0) {
            return null;
        }
        Keys keys = new Keys("");
        i = skipWhitespace(text, i + 1);
        if (i < n && text.charAt(i) == ']') {
            return skipWhitespace(text, i + 1) == n ? keys.toRequest(scope(null, null)) : null;
        }
        int index = 0;
        while (true) {
            if (i == n || text.charAt(i) != '"' || index == maxKeys) {
                return null;
            }
            int end = text.indexOf('"', i + 1);
            if (end < 0) {
                return null;
            }
            try {
                // Control characters (which JSON forbids unescaped) cannot be in a valid key either.
                keys.add(index++, text.substring(i + 1, end));
            } catch (ApiException e) {
                return null;
            }
            i = skipWhitespace(text, end + 1);
            if (i == n) {
                return null;
            }
            char c = text.charAt(i);
            if (c == ']') {
                return skipWhitespace(text, i + 1) == n ? keys.toRequest(scope(null, null)) : null;
            }
            if (c != ',') {
                return null;
            }
            i = skipWhitespace(text, i + 1);
        }
    }

    /** The index of the first character at or after {@code from} that is not JSON whitespace. */
    private static int skipWhitespace(String text, int from) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            i++;
        }
        return i;
    }

    private ReconcileRequest readObject(JsonParser parser) throws IOException {
        String stream = null;
        String application = null;
        Keys keys = null;
        Set<String> seen = new HashSet<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!seen.add(field)) {
                throw ApiException.badRequest("InvalidRequest", "the field " + InvalidKeyException.describe(field) + " is given twice");
            }
            switch (field) {
                case "Keys" -> {
                    if (value != JsonToken.START_ARRAY) {
                        throw ApiException.badRequest("InvalidRequest", "Keys must be an array of keys; found "
                                + describe(parser, value));
                    }
                    keys = readKeys(parser, "Keys");
                }
                case "Stream" -> stream = name(parser, value, "Stream");
                case "Application" -> application = name(parser, value, "Application");
                default -> throw ApiException.badRequest("UnknownField", "unknown field " + InvalidKeyException.describe(field)
                        + "; the fields are Stream, Application and Keys (PascalCase)"
                        + suggestion(field));
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw ApiException.badRequest("InvalidJson", "the body is not valid JSON (" + at(parser.currentTokenLocation()) + ")");
        }
        if (keys == null) {
            throw ApiException.badRequest("MissingKeys", "the object has no Keys field; send "
                    + "{\"Keys\":[\"shardId-000000000001:4959…650\", …]} (Stream and Application are optional)");
        }
        return keys.toRequest(scope(stream, application));
    }

    private static String name(JsonParser parser, JsonToken value, String field) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw ApiException.badRequest("InvalidScope", field + " must be a string; found " + describe(parser, value));
        }
        return parser.getText();
    }

    private Scope scope(String stream, String application) {
        String s = stream != null ? stream : defaultStream;
        String a = application != null ? application : defaultApplication;
        if (s == null || a == null) {
            String missing = s == null && a == null ? "Stream and Application" : s == null ? "Stream" : "Application";
            throw ApiException.badRequest("MissingScope", "no " + missing + " given and no default configured "
                    + "(STREAM_NAME, APP_NAME); send {\"Stream\":\"…\",\"Application\":\"…\",\"Keys\":[…]}");
        }
        try {
            return new Scope(s, a);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("InvalidScope", e.getMessage());
        }
    }

    /** Reads the elements of an array whose START_ARRAY was just read, validating each key. */
    private Keys readKeys(JsonParser parser, String field) throws IOException {
        Keys keys = new Keys(field);
        int index = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                throw ApiException.badRequest("InvalidJson", "the body is not valid JSON: the array of keys is not closed");
            }
            if (index == maxKeys) {
                int total = index + 1 + countRest(parser, token);
                throw ApiException.tooLarge("TooManyKeys", "the request has " + total + " keys; at most " + maxKeys
                        + " per request: split them into several requests");
            }
            if (token != JsonToken.VALUE_STRING) {
                throw ApiException.badItem("InvalidKey", index, keys.label(index) + " is " + describe(parser, token)
                        + "; keys are JSON strings" + (token.isNumeric()
                        ? " in quotes (a sequence number has up to 129 digits, more than a JSON number holds exactly)"
                        : ""));
            }
            keys.add(index, parser.getText());
            index++;
        }
        return keys;
    }

    /** How many more elements the array has after {@code current}, skipping each one's content. */
    private static int countRest(JsonParser parser, JsonToken current) throws IOException {
        int more = 0;
        JsonToken token = current;
        while (true) {
            if (token == JsonToken.START_ARRAY || token == JsonToken.START_OBJECT) {
                parser.skipChildren();
            }
            token = parser.nextToken();
            if (token == JsonToken.END_ARRAY || token == null) {
                return more;
            }
            more++;
        }
    }

    /**
     * The keys of one request as they are read: their form, fixed by the first key, and no repeats. Clients
     * such as the stream-checker send keys in order; while each key sorts after the one before, none can be a
     * repeat and no set is needed — the set is built only once the order breaks.
     */
    private static final class Keys {
        private final String field;
        private final List<String> texts = new ArrayList<>();
        private final List<RecordKey> parsed = new ArrayList<>();
        private Set<String> seen;
        private KeyForm form;
        private RecordKey lastKey;
        private String lastText;

        Keys(String field) {
            this.field = field;
        }

        String label(int index) {
            return field + "[" + index + "]";
        }

        void add(int index, String text) {
            KeyForm kind = text.indexOf(':') >= 0 ? KeyForm.QUALIFIED : KeyForm.BARE;
            RecordKey key = null;
            try {
                // Validate first: a key that is wrong in its own form gets that reason, not "mixed forms".
                if (kind == KeyForm.QUALIFIED) {
                    key = RecordKey.parse(text);
                } else {
                    RecordKey.validateSequenceNumber(text);
                }
            } catch (InvalidKeyException e) {
                throw ApiException.badItem("InvalidKey", index, label(index) + " " + e.getMessage());
            }
            if (form == null) {
                form = kind;
            } else if (form != kind) {
                throw ApiException.badItem("MixedKeyForms", index, label(index) + " " + InvalidKeyException.describe(text) + ": "
                        + (kind == KeyForm.BARE ? "a bare sequence number, but " + label(0) + " is a shard-qualified key"
                        : "a shard-qualified key, but " + label(0) + " is a bare sequence number")
                        + "; send one form per request");
            }
            if (isNew(text, key)) {
                texts.add(text);
                if (key != null) {
                    parsed.add(key);
                }
            }
        }

        private boolean isNew(String text, RecordKey key) {
            if (seen == null) {
                boolean ascending = lastText == null || (key != null
                        ? key.compareTo(lastKey) > 0
                        : RecordKey.compareSequenceNumbers(text, lastText) > 0);
                lastText = text;
                lastKey = key;
                if (ascending) {
                    return true;
                }
                seen = new HashSet<>(texts);
            }
            return seen.add(text);
        }

        ReconcileRequest toRequest(Scope scope) {
            KeyForm f = form == null ? KeyForm.QUALIFIED : form;
            return new ReconcileRequest(scope, f, List.copyOf(texts), f == KeyForm.QUALIFIED ? List.copyOf(parsed) : List.of());
        }
    }

    private static String describe(JsonParser parser, JsonToken token) throws IOException {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a JSON number (" + cut(parser.getText()) + ")";
            case VALUE_STRING -> "a string";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean (" + parser.getText() + ")";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    private static String cut(String text) {
        return text.length() <= 40 ? text : text.substring(0, 20) + "…" + text.substring(text.length() - 10)
                + " (" + text.length() + " characters)";
    }

    private static String suggestion(String field) {
        for (String known : new String[] {"Keys", "Stream", "Application"}) {
            if (known.equalsIgnoreCase(field)) {
                return ": did you mean \"" + known + "\"?";
            }
        }
        return "";
    }

    private static String at(JsonLocation location) {
        if (location == null) {
            return "at an unknown position";
        }
        return "at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
