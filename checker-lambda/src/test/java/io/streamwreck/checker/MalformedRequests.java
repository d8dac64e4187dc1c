package io.streamwreck.checker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.streamwreck.checker.LedgerScenario.k0;
import static io.streamwreck.checker.LedgerScenario.s0;

/**
 * Requests the checker must refuse with a 4xx that says what is wrong — each with the status, the error code
 * and a piece of the message it must answer with. Used over HTTP (every case) and against the request reader
 * alone (the cases it decides).
 */
final class MalformedRequests {

    /** Which part of the checker refuses the request. */
    enum Layer {
        /** {@link ReconcileRequestReader}: the JSON and the keys. */
        READER,
        /** {@link RequestBodies}: size, encoding. */
        BODY,
        /** Routing: method and path. */
        ROUTE
    }

    record Case(String name, Layer layer, String method, String path, Map<String, String> headers, byte[] body,
                int status, String error, String messagePart) {
        @Override
        public String toString() {
            return name;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private MalformedRequests() {
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        String n = s0(0);
        String big = "1" + "0".repeat(129);

        reader(cases, "not JSON", "hello", 400, "InvalidJson", "not valid JSON");
        reader(cases, "empty body", "", 400, "EmptyBody", "the body is empty");
        reader(cases, "only whitespace", "  \n\t ", 400, "EmptyBody", "the body is empty");
        reader(cases, "empty object", "{}", 400, "MissingKeys", "no Keys field");
        reader(cases, "object without Keys", "{\"Stream\":\"orders\",\"Application\":\"billing\"}", 400, "MissingKeys", "no Keys field");
        reader(cases, "lower-case keys field", "{\"keys\":[\"" + n + "\"]}", 400, "UnknownField", "did you mean \"Keys\"");
        reader(cases, "Keys is a string", "{\"Keys\":\"" + n + "\"}", 400, "InvalidRequest", "Keys must be an array of keys; found a string");
        reader(cases, "Keys is null", "{\"Keys\":null}", 400, "InvalidRequest", "found null");
        reader(cases, "Keys is an object", "{\"Keys\":{\"a\":\"1\"}}", 400, "InvalidRequest", "found an object");
        reader(cases, "a number instead of a string", "[" + n + "]", 400, "InvalidKey", "[0] is a JSON number");
        reader(cases, "a small number", "[\"" + n + "\", 1]", 400, "InvalidKey", "[1] is a JSON number (1)");
        reader(cases, "a fraction", "[1.5]", 400, "InvalidKey", "[0] is a JSON number (1.5)");
        reader(cases, "a negative number", "[-5]", 400, "InvalidKey", "[0] is a JSON number (-5)");
        reader(cases, "a negative number in quotes", "[\"-5\"]", 400, "InvalidKey", "[0] \"-5\": the sequence number must be decimal digits only, found '-' at position 1");
        reader(cases, "a 130-digit sequence number", "[\"" + big + "\"]", 400, "InvalidKey", "has 130 digits, at most 129");
        reader(cases, "a 130-digit JSON number", "[" + big + "]", 400, "InvalidKey", "[0] is a JSON number");
        reader(cases, "a leading zero", "[\"0123\"]", 400, "InvalidKey", "leading zero");
        reader(cases, "an empty string", "[\"\"]", 400, "InvalidKey", "[0] \"\": the sequence number is empty");
        reader(cases, "a leading space", "[\" " + n + "\"]", 400, "InvalidKey", "found '\\u0020' at position 1");
        reader(cases, "a trailing newline", "[\"" + n + "\\n\"]", 400, "InvalidKey", "found '\\u000a' at position 57");
        reader(cases, "letters", "[\"12a\"]", 400, "InvalidKey", "found 'a' at position 3");
        reader(cases, "a NUL character", "[\"12\\u00003\"]", 400, "InvalidKey", "found '\\u0000' at position 3");
        reader(cases, "a short shard id", "[\"shardId-1:" + n + "\"]", 400, "InvalidKey", "followed by exactly 12 digits");
        reader(cases, "a hex shard id", "[\"shardId-00000000000a:" + n + "\"]", 400, "InvalidKey", "followed by exactly 12 digits");
        reader(cases, "a wrong shard prefix", "[\"shard-000000000001:" + n + "\"]", 400, "InvalidKey", "starts with \"shardId-\"");
        reader(cases, "a lower-case shard prefix", "[\"shardid-000000000001:" + n + "\"]", 400, "InvalidKey", "starts with \"shardId-\"");
        reader(cases, "a key without its sequence number", "[\"shardId-000000000001:\"]", 400, "InvalidKey", "the sequence number is empty");
        reader(cases, "an empty sub-sequence number", "[\"shardId-000000000001:" + n + ":\"]", 400, "InvalidKey", "the sub-sequence number is empty");
        reader(cases, "four fields", "[\"shardId-000000000001:" + n + ":4:5\"]", 400, "InvalidKey", "too many fields");
        reader(cases, "a negative sub-sequence number", "[\"shardId-000000000001:" + n + ":-1\"]", 400, "InvalidKey", "found '-' at position 1");
        reader(cases, "a sub-sequence number beyond a long", "[\"shardId-000000000001:" + n + ":99999999999999999999\"]", 400, "InvalidKey", "has 20 digits, at most 19");
        reader(cases, "a 130-digit qualified key", "[\"shardId-000000000001:" + big + "\"]", 400, "InvalidKey", "has 130 digits, at most 129");
        reader(cases, "a nested array", "[[\"" + n + "\"]]", 400, "InvalidKey", "[0] is an array");
        reader(cases, "a nested array after good keys", "[\"" + k0(0) + "\",\"" + k0(1) + "\",[\"" + k0(2) + "\"]]", 400, "InvalidKey", "[2] is an array");
        reader(cases, "deeply nested arrays", "[".repeat(10_000) + "]".repeat(10_000), 400, "InvalidKey", "[0] is an array");
        reader(cases, "an object as a key", "[{\"Key\":\"" + n + "\"}]", 400, "InvalidKey", "[0] is an object");
        reader(cases, "null as a key", "[\"" + n + "\", null]", 400, "InvalidKey", "[1] is null");
        reader(cases, "a boolean as a key", "[true]", 400, "InvalidKey", "[0] is a boolean (true)");
        reader(cases, "a bare number after qualified keys", "[\"" + k0(0) + "\",\"" + s0(1) + "\"]", 400, "MixedKeyForms", "[1] \"" + s0(1) + "\": a bare sequence number, but [0] is a shard-qualified key");
        reader(cases, "a qualified key after bare numbers", "[\"" + s0(1) + "\",\"" + s0(2) + "\",\"" + k0(0) + "\"]", 400, "MixedKeyForms", "[2] \"" + k0(0) + "\": a shard-qualified key, but [0] is a bare sequence number");
        reader(cases, "a trailing comma", "[\"" + n + "\",]", 400, "InvalidJson", "not valid JSON");
        reader(cases, "an unclosed array", "[\"" + n + "\"", 400, "InvalidJson", "expected close marker for Array (start marker at [line: 1, column: 1])");
        reader(cases, "an unclosed string", "[\"" + n, 400, "InvalidJson", "not valid JSON");
        reader(cases, "garbage after the array", "[\"" + n + "\"] x", 400, "InvalidJson", "JSON");
        reader(cases, "two arrays", "[\"" + n + "\"][\"" + n + "\"]", 400, "InvalidJson", "unexpected content after the JSON value");
        reader(cases, "a string, not an array", "\"" + n + "\"", 400, "InvalidRequest", "found a string");
        reader(cases, "a number, not an array", n, 400, "InvalidRequest", "found a JSON number");
        reader(cases, "null, not an array", "null", 400, "InvalidRequest", "found null");
        reader(cases, "a boolean, not an array", "false", 400, "InvalidRequest", "found a boolean (false)");
        reader(cases, "comments", "/* the keys */ [\"" + n + "\"]", 400, "InvalidJson", "not valid JSON");
        reader(cases, "single quotes", "['" + n + "']", 400, "InvalidJson", "not valid JSON");
        reader(cases, "Stream is a number", "{\"Stream\":5,\"Keys\":[]}", 400, "InvalidScope", "Stream must be a string; found a JSON number (5)");
        reader(cases, "an empty Stream", "{\"Stream\":\"\",\"Keys\":[]}", 400, "InvalidScope", "the stream name is required");
        reader(cases, "a control character in Application", "{\"Application\":\"bil\\u0001ling\",\"Keys\":[]}", 400, "InvalidScope", "control character at position 4");
        reader(cases, "a 300-character Stream", "{\"Stream\":\"" + "s".repeat(300) + "\",\"Keys\":[]}", 400, "InvalidScope", "longer than 256 characters");
        reader(cases, "Keys twice", "{\"Keys\":[],\"Keys\":[]}", 400, "InvalidRequest", "the field \"Keys\" is given twice");
        reader(cases, "an unknown field", "{\"Keys\":[],\"Extra\":1}", 400, "UnknownField", "unknown field \"Extra\"");
        reader(cases, "a bad key in the object form", "{\"Keys\":[\"" + k0(0) + "\",\"" + k0(1) + "\",\"oops\"]}", 400, "InvalidKey", "Keys[2] \"oops\"");

        body(cases, "invalid UTF-8: a lone continuation byte", new byte[] {'[', '"', (byte) 0x80, '"', ']'}, "byte 0x80 at offset 2");
        body(cases, "invalid UTF-8: a truncated sequence", new byte[] {'[', '"', (byte) 0xC3, '(', '"', ']'}, "byte 0xC3 at offset 2");
        body(cases, "invalid UTF-8: an overlong encoding", new byte[] {'[', '"', (byte) 0xC0, (byte) 0xAF, '"', ']'}, "byte 0xC0 at offset 2");
        body(cases, "invalid UTF-8: Latin-1 text", new byte[] {'[', '"', 'c', 'a', 'f', (byte) 0xE9, '"', ']'}, "byte 0xE9 at offset 5");
        cases.add(new Case("a 10 MB body", Layer.BODY, "POST", "/reconcile", Map.of(), tenMegabytes(), 413, "BodyTooLarge",
                "the body has 10000000 bytes; at most 6291456"));
        cases.add(new Case("50,001 keys", Layer.READER, "POST", "/reconcile", Map.of(), keys(50_001), 413, "TooManyKeys",
                "the request has 50001 keys; at most 50000 per request"));
        cases.add(new Case("a gzip-compressed body", Layer.BODY, "POST", "/reconcile", Map.of("Content-Encoding", "gzip"),
                bytes("[\"" + n + "\"]"), 415, "UnsupportedContentEncoding", "Content-Encoding \"gzip\" is not supported"));

        route(cases, "GET /reconcile", "GET", "/reconcile", 405, "MethodNotAllowed", "GET is not allowed on /reconcile; use POST /reconcile");
        route(cases, "PUT /reconcile", "PUT", "/reconcile", 405, "MethodNotAllowed", "use POST /reconcile");
        route(cases, "DELETE /reconcile", "DELETE", "/reconcile", 405, "MethodNotAllowed", "use POST /reconcile");
        route(cases, "PATCH /reconcile", "PATCH", "/reconcile", 405, "MethodNotAllowed", "use POST /reconcile");
        route(cases, "POST /health", "POST", "/health", 405, "MethodNotAllowed", "use GET /health");
        route(cases, "POST /reconcile/all", "POST", "/reconcile/all", 404, "NotFound", "no resource \"/reconcile/all\"");
        route(cases, "POST /Reconcile", "POST", "/Reconcile", 404, "NotFound", "the checker serves POST /reconcile and GET /health");
        route(cases, "GET /", "GET", "/", 404, "NotFound", "no resource \"/\"");
        return cases;
    }

    private static void reader(List<Case> cases, String name, String body, int status, String error, String messagePart) {
        cases.add(new Case(name, Layer.READER, "POST", "/reconcile", Map.of(), bytes(body), status, error, messagePart));
    }

    private static void body(List<Case> cases, String name, byte[] body, String messagePart) {
        cases.add(new Case(name, Layer.BODY, "POST", "/reconcile", Map.of(), body, 400, "InvalidUtf8", messagePart));
    }

    private static void route(List<Case> cases, String name, String method, String path, int status, String error, String messagePart) {
        cases.add(new Case(name, Layer.ROUTE, method, path, Map.of(), bytes("[\"" + s0(0) + "\"]"), status, error, messagePart));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON array of {@code count} distinct, valid bare sequence numbers. */
    static byte[] keys(int count) {
        StringBuilder json = new StringBuilder(count * 10).append('[');
        for (int i = 1; i <= count; i++) {
            json.append(i == 1 ? "" : ",").append('"').append(i).append('"');
        }
        return bytes(json.append(']').toString());
    }

    /** Exactly 10,000,000 bytes of valid JSON: an array of one-digit keys. */
    private static byte[] tenMegabytes() {
        byte[] body = new byte[10_000_000];
        body[0] = '[';
        int i = 1;
        while (i + 4 < body.length - 1) {
            body[i++] = '"';
            body[i++] = '1';
            body[i++] = '"';
            body[i++] = ',';
        }
        body[i++] = '"';
        body[i++] = '1';
        body[i++] = '"';
        while (i < body.length - 1) {
            body[i++] = ' ';
        }
        body[body.length - 1] = ']';
        return body;
    }
}
