package io.streamwreck.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiGatewayServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<ApiGatewayServer> servers = new ArrayList<>();

    @AfterEach
    void close() {
        servers.forEach(ApiGatewayServer::close);
    }

    private ApiGatewayServer serve(String handlerClass) {
        return serve(ApiGatewayServer.fromClassPath("test-fn", ApiGatewayTestHandlers.class.getName() + "$" + handlerClass,
                Map.of("GREETING", "hello")));
    }

    private ApiGatewayServer serve(ApiGatewayServer server) {
        servers.add(server);
        return server.start(0);
    }

    @Test
    void aRequestBecomesTheProxyEventApiGatewayWouldSend() throws Exception {
        ApiGatewayServer server = serve("Echo");
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(server.url() + "/reconcile/now%20please?a=1&a=2&b=x%20y&flag"))
                .header("X-Multi", "one").header("X-Multi", "two").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[\"héllo\"]")));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode event = JSON.readTree(response.body());
        assertThat(event.get("httpMethod").asText()).isEqualTo("POST");
        assertThat(event.get("path").asText()).isEqualTo("/reconcile/now please");
        assertThat(event.get("resource").asText()).isEqualTo("/{proxy+}");
        assertThat(event.get("pathParameters").get("proxy").asText()).isEqualTo("reconcile/now please");
        assertThat(event.get("queryStringParameters")).isEqualTo(JSON.valueToTree(Map.of("a", "2", "b", "x y", "flag", "")));
        assertThat(event.get("multiValueQueryStringParameters").get("a")).isEqualTo(JSON.valueToTree(List.of("1", "2")));
        assertThat(header(event.get("headers"), "x-multi")).isEqualTo("two");
        assertThat(header(event.get("multiValueHeaders"), "x-multi")).isEqualTo("[\"one\",\"two\"]");
        assertThat(event.get("body").asText()).isEqualTo("[\"héllo\"]");
        assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();
        JsonNode context = event.get("requestContext");
        assertThat(context.get("httpMethod").asText()).isEqualTo("POST");
        assertThat(context.get("path").asText()).isEqualTo("/reconcile/now please");
        assertThat(context.get("resourcePath").asText()).isEqualTo("/{proxy+}");
        assertThat(context.get("stage").asText()).isEqualTo("local");
        assertThat(context.get("identity").get("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(context.get("requestTimeEpoch").asLong()).isPositive();
        // One id for the request, the invocation and the response header, as on AWS.
        String requestId = response.headers().firstValue("x-amzn-RequestId").orElseThrow();
        assertThat(context.get("requestId").asText()).isEqualTo(requestId);
        assertThat(response.headers().firstValue("X-Lambda-Request-Id")).contains(requestId);
        assertThat(response.headers().firstValue("X-Function")).contains("test-fn");
        assertThat(Integer.parseInt(response.headers().firstValue("X-Remaining-Ms").orElseThrow()))
                .isBetween(1, (int) ApiGatewayServer.DEFAULT_TIMEOUT.toMillis());
    }

    @Test
    void theFunctionsEnvironmentReachesItsConstructor() throws Exception {
        ApiGatewayServer server = serve("Echo");

        assertThat(send(get(server, "/")).headers().firstValue("X-Greeting")).contains("hello");
    }

    @Test
    void withoutQueryOrBodyThoseFieldsAreNullAsOnAws() throws Exception {
        JsonNode event = JSON.readTree(send(get(serve("Echo"), "/health")).body());

        assertThat(event.get("queryStringParameters").isNull()).isTrue();
        assertThat(event.get("multiValueQueryStringParameters").isNull()).isTrue();
        assertThat(event.get("body").isNull()).isTrue();
        assertThat(event.get("httpMethod").asText()).isEqualTo("GET");
    }

    @Test
    void aBodyThatIsNotUtf8ArrivesBase64EncodedAndUnchanged() throws Exception {
        byte[] bytes = {'[', '"', (byte) 0xC3, '(', '"', ']'};
        JsonNode event = JSON.readTree(send(HttpRequest.newBuilder(URI.create(serve("Echo").url() + "/reconcile"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))).body());

        assertThat(event.get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(event.get("body").asText())).isEqualTo(bytes);
    }

    @Test
    void aBinaryResponseIsDecodedAndMultiValueHeadersWin() throws Exception {
        HttpResponse<byte[]> response = http.send(get(serve("Binary"), "/").build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo(ApiGatewayTestHandlers.Binary.BYTES);
        assertThat(response.headers().allValues("Set-Cookie")).containsExactlyInAnyOrder("a=1", "b=2");
        assertThat(response.headers().firstValue("Content-Type")).contains("application/octet-stream");
    }

    @Test
    void aFailingFunctionIs502AndTheServerKeepsServing() throws Exception {
        ApiGatewayServer server = serve("Throwing");

        HttpResponse<String> response = send(get(server, "/x"));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).isEqualTo("{\"message\":\"Internal server error\"}").doesNotContain("boom");
        assertThat(send(get(server, "/y")).statusCode()).isEqualTo(502);
    }

    @Test
    void aResponseWithoutStatusIs502() throws Exception {
        assertThat(send(get(serve("NoStatus"), "/")).statusCode()).isEqualTo(502);
    }

    @Test
    void aResponseOverLambdasLimitIs502() throws Exception {
        assertThat(send(get(serve("Oversized"), "/")).statusCode()).isEqualTo(502);
    }

    @Test
    void aFunctionPastTheTimeoutIs504() throws Exception {
        ApiGatewayServer server = serve(new ApiGatewayServer("slow-fn", new ApiGatewayTestHandlers.Blocking(), Duration.ofMillis(300)));
        try {
            HttpResponse<String> response = send(get(server, "/"));

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(response.body()).isEqualTo("{\"message\":\"Endpoint request timed out\"}");
        } finally {
            ApiGatewayTestHandlers.Blocking.RELEASE.countDown();
        }
    }

    @Test
    void aBodyOverApiGatewaysLimitIs413() throws Exception {
        ApiGatewayServer server = serve("Echo");
        byte[] body = new byte[ApiGatewayServer.MAX_REQUEST_BYTES + 1];

        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(server.url() + "/reconcile"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).isEqualTo("{\"message\":\"Request Too Long\"}");
        assertThat(send(get(server, "/")).statusCode()).isEqualTo(200);
    }

    @Test
    void headGetsHeadersOnly() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(serve("Echo").url() + "/"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void closingClosesTheHandlerItLoadedButNotOneItWasGiven() {
        int before = ApiGatewayTestHandlers.Echo.CLOSED.get();
        ApiGatewayServer loaded = serve("Echo");
        loaded.close();
        loaded.close();
        assertThat(ApiGatewayTestHandlers.Echo.CLOSED.get()).isEqualTo(before + 1);

        ApiGatewayServer given = serve(new ApiGatewayServer("given", new ApiGatewayTestHandlers.Echo(Map.of())));
        given.close();
        assertThat(ApiGatewayTestHandlers.Echo.CLOSED.get()).isEqualTo(before + 1);
    }

    @Test
    void aTakenPortIsRefusedNamingIt() {
        ApiGatewayServer first = serve("NoArgument");
        ApiGatewayServer second = ApiGatewayServer.fromClassPath("second", ApiGatewayTestHandlers.NoArgument.class.getName(), Map.of());
        servers.add(second);

        assertThatThrownBy(() -> second.start(first.port()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("127.0.0.1:" + first.port());
    }

    private static HttpRequest.Builder get(ApiGatewayServer server, String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).GET();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** A header from the event, by name in any case (the JDK server normalises header names). */
    private static String header(JsonNode headers, String name) {
        for (Map.Entry<String, JsonNode> e : headers.properties()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString();
            }
        }
        return null;
    }
}
