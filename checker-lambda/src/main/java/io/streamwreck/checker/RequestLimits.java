package io.streamwreck.checker;

/** What one request may ask (DESIGN.md "Checker API"); beyond these the answer is 413, saying the limit. */
final class RequestLimits {

    /** Keys per request. */
    static final int MAX_KEYS = 50_000;
    /** Lambda's limit for a synchronous invocation's payload, 6 MiB. */
    static final int MAX_BODY_BYTES = 6 * 1024 * 1024;
    /**
     * The answer must fit the same limit, with room for the response event around the body (status, headers);
     * measured with {@link #responsePayloadBytes}.
     */
    static final int MAX_RESPONSE_BYTES = MAX_BODY_BYTES - 16 * 1024;
    /**
     * Bare sequence numbers are looked up in every shard of the scope: numbers × shards lookups. The ledger
     * answers about a million lookups a second, so this keeps one request to a few seconds, far inside API
     * Gateway's 29 s timeout (50,000 numbers in up to 50 shards).
     */
    static final long MAX_BARE_LOOKUPS = 2_500_000;

    private RequestLimits() {
    }

    /** Whether an answer with this body fits Lambda's response limit. */
    static boolean responseFits(String body) {
        return responsePayloadBytes(body) <= MAX_RESPONSE_BYTES;
    }

    /**
     * The bytes {@code body} takes in Lambda's response payload: Lambda's 6 MiB limit counts bytes, and the body
     * travels as a JSON string inside the serialized response event (the Java runtime writes it with Jackson) —
     * UTF-8, two or three bytes for a character outside ASCII and twelve for one outside the BMP (Jackson escapes
     * each half of its surrogate pair), with {@code "} and {@code \} escaped to two bytes and control characters
     * to two or six. Counting {@code body.length()} (UTF-16 units, unescaped) undercounts all of these.
     */
    static long responsePayloadBytes(String body) {
        long bytes = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
                bytes += 2;
            } else if (c < 0x20) {
                bytes += 6; // backslash, u and four hex digits
            } else if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isSurrogate(c)) {
                bytes += 6; // Jackson writes a character outside the BMP as two escapes, \\uD8xx\\uDCxx (UTF-8 needs 4)
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
