package io.streamwreck.checker;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RequestBodiesTest {

    private static final int LIMIT = 1_000;

    @Test
    void aTextBodyIsPassedOnAsItIs() {
        assertThat(RequestBodies.text(event("[\"1\"]", false), LIMIT)).isEqualTo("[\"1\"]");
        assertThat(RequestBodies.text(event(null, false), LIMIT)).isEmpty();
    }

    @Test
    void aBase64BodyIsDecodedAsUtf8() {
        String json = "{\"Stream\":\"zürich\",\"Keys\":[]}";
        String encoded = Base64.getEncoder().encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(RequestBodies.text(event(encoded, true), LIMIT)).isEqualTo(json);
    }

    @Test
    void invalidUtf8IsRefusedNamingTheByteAndItsOffset() {
        String encoded = Base64.getEncoder().encodeToString(new byte[] {'[', '"', '1', (byte) 0xFF, '"', ']'});

        ApiException e = catchThrowableOfType(ApiException.class, () -> RequestBodies.text(event(encoded, true), LIMIT));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("InvalidUtf8");
        assertThat(e.getMessage()).contains("byte 0xFF at offset 3");
    }

    @Test
    void aBodyMarkedBase64ThatIsNotIsRefused() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> RequestBodies.text(event("[\"1\"]", true), LIMIT));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("InvalidBody");
    }

    @Test
    void theLimitCountsUtf8BytesNotCharacters() {
        // 400 characters of three bytes each: 1,200 bytes.
        String threeByteChars = "€".repeat(400);
        ApiException e = catchThrowableOfType(ApiException.class, () -> RequestBodies.text(event(threeByteChars, false), LIMIT));
        assertThat(e.status()).isEqualTo(413);
        assertThat(e.getMessage()).contains("1200 bytes; at most 1000");

        assertThat(RequestBodies.text(event("x".repeat(LIMIT), false), LIMIT)).hasSize(LIMIT);
        assertThat(catchThrowableOfType(ApiException.class, () -> RequestBodies.text(event("x".repeat(LIMIT + 1), false), LIMIT)).code())
                .isEqualTo("BodyTooLarge");
    }

    @Test
    void aTooLargeBase64BodyIsRefusedBeforeDecoding() {
        String encoded = Base64.getEncoder().encodeToString(new byte[LIMIT + 300]);

        assertThat(catchThrowableOfType(ApiException.class, () -> RequestBodies.text(event(encoded, true), LIMIT)).status())
                .isEqualTo(413);
    }

    @Test
    void aCompressedBodyIsRefusedWhateverTheHeadersCase() {
        APIGatewayProxyRequestEvent event = event("[]", false).withHeaders(Map.of("content-encoding", "br"));
        assertThat(catchThrowableOfType(ApiException.class, () -> RequestBodies.text(event, LIMIT)).status()).isEqualTo(415);

        APIGatewayProxyRequestEvent multi = event("[]", false).withMultiValueHeaders(Map.of("Content-Encoding", List.of("gzip")));
        assertThat(catchThrowableOfType(ApiException.class, () -> RequestBodies.text(multi, LIMIT)).code())
                .isEqualTo("UnsupportedContentEncoding");

        APIGatewayProxyRequestEvent identity = event("[]", false).withHeaders(Map.of("Content-Encoding", "identity"));
        assertThat(RequestBodies.text(identity, LIMIT)).isEqualTo("[]");
    }

    private static APIGatewayProxyRequestEvent event(String body, boolean base64) {
        return new APIGatewayProxyRequestEvent().withHttpMethod("POST").withPath("/reconcile").withBody(body)
                .withIsBase64Encoded(base64);
    }
}
