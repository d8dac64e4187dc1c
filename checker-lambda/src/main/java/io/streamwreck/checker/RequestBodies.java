package io.streamwreck.checker;

import io.streamwreck.core.InvalidKeyException;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text of a request's body, checked before any parsing: at most {@link RequestLimits#MAX_BODY_BYTES},
 * not compressed, and valid UTF-8 — API Gateway passes a body that is not valid UTF-8 base64-encoded
 * ({@code isBase64Encoded}), and it is decoded here strictly, never "repaired".
 */
final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * @return the body as text; empty when there is none
     * @throws ApiException 413 when too large, 415 when compressed, 400 when not valid UTF-8 (or bad base64)
     */
    static String text(APIGatewayProxyRequestEvent event, int maxBytes) {
        String encoding = header(event, "Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            throw new ApiException(415, "UnsupportedContentEncoding", "Content-Encoding " + InvalidKeyException.describe(encoding)
                    + " is not supported; send the JSON uncompressed", null, Map.of());
        }
        String body = event.getBody();
        if (body == null || body.isEmpty()) {
            return "";
        }
        if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            if ((long) body.length() / 4 * 3 > maxBytes + 3L) {
                throw tooLarge((long) body.length() / 4 * 3, maxBytes);
            }
            byte[] bytes;
            try {
                bytes = Base64.getMimeDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("InvalidBody", "the body is marked isBase64Encoded but is not base64: "
                        + e.getMessage());
            }
            if (bytes.length > maxBytes) {
                throw tooLarge(bytes.length, maxBytes);
            }
            return strictUtf8(bytes);
        }
        // Each character takes one to three bytes in UTF-8: count exactly only when it could matter.
        if ((long) body.length() * 3 > maxBytes) {
            long bytes = utf8Length(body);
            if (bytes > maxBytes) {
                throw tooLarge(bytes, maxBytes);
            }
        }
        return body;
    }

    private static ApiException tooLarge(long bytes, int maxBytes) {
        return ApiException.tooLarge("BodyTooLarge", "the body has " + bytes + " bytes; at most " + maxBytes
                + " (6 MiB) per request: split the keys into several requests (at most "
                + RequestLimits.MAX_KEYS + " keys each)");
    }

    private static String strictUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            throw ApiException.badRequest("InvalidUtf8", String.format(Locale.ROOT,
                    "the body is not valid UTF-8: byte 0x%02X at offset %d does not begin or continue a character; "
                            + "send the JSON as UTF-8 text", bytes[offset] & 0xff, offset));
        }
        return out.flip().toString();
    }

    private static long utf8Length(String s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** A request header, by name in any case (API Gateway passes them as the client spelled them). */
    static String header(APIGatewayProxyRequestEvent event, String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers != null) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                if (name.equalsIgnoreCase(e.getKey())) {
                    return e.getValue();
                }
            }
        }
        Map<String, List<String>> multi = event.getMultiValueHeaders();
        if (multi != null) {
            for (Map.Entry<String, List<String>> e : multi.entrySet()) {
                if (name.equalsIgnoreCase(e.getKey()) && e.getValue() != null && !e.getValue().isEmpty()) {
                    return e.getValue().get(e.getValue().size() - 1);
                }
            }
        }
        return null;
    }
}
