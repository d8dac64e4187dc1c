package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ApiGatewayEventsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");

    @Test
    void validUtf8IsTextAndAnythingElseIsNull() {
        assertThat(ApiGatewayEvents.utf8OrNull("plain ascii".getBytes(StandardCharsets.UTF_8))).isEqualTo("plain ascii");
        assertThat(ApiGatewayEvents.utf8OrNull("zürich €".getBytes(StandardCharsets.UTF_8))).isEqualTo("zürich €");
        assertThat(ApiGatewayEvents.utf8OrNull(new byte[] {(byte) 0xC3, '('})).isNull();
        assertThat(ApiGatewayEvents.utf8OrNull(new byte[] {(byte) 0xC0, (byte) 0xAF})).isNull();
        assertThat(ApiGatewayEvents.utf8OrNull(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).as("a surrogate").isNull();
    }

    @Test
    void pathAndQueryAreDecodedLikeApiGatewayDoes() {
        APIGatewayProxyRequestEvent event = event("/a%2Fb+c", "x=%41&y&z=1%", Map.of());

        assertThat(event.getPath()).isEqualTo("/a/b+c");
        assertThat(event.getQueryStringParameters()).isEqualTo(Map.of("x", "A", "y", "", "z", "1%"));
    }

    @Test
    void theRequestContextCarriesMethodPathStageAndTime() {
        APIGatewayProxyRequestEvent event = event("/health", null, Map.of("Host", List.of("127.0.0.1:8080")));

        APIGatewayProxyRequestEvent.ProxyRequestContext context = event.getRequestContext();
        assertThat(context.getHttpMethod()).isEqualTo("GET");
        assertThat(context.getPath()).isEqualTo("/health");
        assertThat(context.getResourcePath()).isEqualTo("/{proxy+}");
        assertThat(context.getStage()).isEqualTo("local");
        assertThat(context.getRequestId()).isEqualTo("req-1");
        assertThat(context.getRequestTime()).isEqualTo("22/Nov/2026:10:15:30 +0000");
        assertThat(context.getRequestTimeEpoch()).isEqualTo(NOW.toEpochMilli());
        assertThat(context.getDomainName()).isEqualTo("127.0.0.1:8080");
        assertThat(event.getHeaders()).containsEntry("Host", "127.0.0.1:8080");
    }

    @Test
    void theRootHasNoProxyParameter() {
        assertThat(event("/", null, Map.of()).getPathParameters()).isNull();
        assertThat(event("", null, Map.of()).getPath()).isEqualTo("/");
    }

    private static APIGatewayProxyRequestEvent event(String rawPath, String rawQuery, Map<String, List<String>> headers) {
        return ApiGatewayEvents.request(new ApiGatewayEvents.HttpRequest("get", rawPath, rawQuery, headers, new byte[0],
                "127.0.0.1", "127.0.0.1:8080"), "local", "req-1", NOW);
    }
}
