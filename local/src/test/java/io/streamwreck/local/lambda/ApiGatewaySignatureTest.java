package io.streamwreck.local.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API Gateway stand-in with IAM authorisation on: signed requests reach the function, everything API Gateway
 * refuses gets its 403. Signed by two independent clients: the SDK's signer and curl's {@code --aws-sigv4} (which
 * signs no {@code x-amz-content-sha256}). The stream-checker's tests sign with the SDK's current signer
 * ({@code AwsV4HttpSigner}) against the same stand-in.
 */
class ApiGatewaySignatureTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = "[\"49590338271490256608559692538361571095921575989136588898\"]";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<ApiGatewayServer> servers = new ArrayList<>();

    @AfterEach
    void close() {
        servers.forEach(ApiGatewayServer::close);
    }

    private ApiGatewayServer serve(SigV4Verifier verifier) {
        ApiGatewayServer server = ApiGatewayServer.fromClassPath("test-fn", ApiGatewayTestHandlers.class.getName() + "$Echo",
                Map.of()).requireSignatures(verifier);
        servers.add(server);
        return server.start(0);
    }

    private static SigV4Verifier verifier(String region, Clock clock) {
        return new SigV4Verifier("local", "local", region, clock);
    }

    @Test
    void aRequestSignedWithTheLocalCredentialsReachesTheFunction() throws Exception {
        ApiGatewayServer server = serve(SigV4Verifier.forLocalStack());

        HttpResponse<String> post = send(signed("POST", server.url() + "/reconcile", BODY, "local", "local", "us-east-1"));
        HttpResponse<String> get = send(signed("GET", server.url() + "/health?deep=yes&a=b%20c", "", "local", "local", "us-east-1"));

        assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
        assertThat(JSON.readTree(post.body()).get("body").asText()).isEqualTo(BODY);
        assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        assertThat(JSON.readTree(get.body()).get("path").asText()).isEqualTo("/health");
    }

    @Test
    void curlsOwnSigV4IsAccepted() throws Exception {
        ApiGatewayServer server = serve(SigV4Verifier.forLocalStack());

        assertThat(curl(server.url() + "/reconcile", "local:local", "aws:amz:us-east-1:execute-api")).contains("\"httpMethod\":\"POST\"");
        assertThat(curl(server.url() + "/reconcile", "local:wrong", "aws:amz:us-east-1:execute-api"))
                .isEqualTo("403 {\"message\":\"The request signature we calculated does not match the signature you provided. "
                        + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\"}");
    }

    @Test
    void anUnsignedRequestGetsMissingAuthenticationToken() throws Exception {
        ApiGatewayServer server = serve(SigV4Verifier.forLocalStack());

        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(server.url() + "/reconcile"))
                .POST(HttpRequest.BodyPublishers.ofString(BODY)));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("MissingAuthenticationTokenException");
    }

    @Test
    void aWrongSecretAnUnknownKeyAWrongRegionAndAChangedBodyAreRefused() throws Exception {
        ApiGatewayServer server = serve(SigV4Verifier.forLocalStack());
        String url = server.url() + "/reconcile";

        HttpResponse<String> wrongSecret = send(signed("POST", url, BODY, "local", "not-the-secret", "us-east-1"));
        HttpResponse<String> unknownKey = send(signed("POST", url, BODY, "someone-else", "local", "us-east-1"));
        HttpResponse<String> wrongRegion = send(signed("POST", url, BODY, "local", "local", "eu-west-1"));
        HttpRequest.Builder changed = signed("POST", url, BODY, "local", "local", "us-east-1");
        HttpResponse<String> changedBody = send(changed.POST(HttpRequest.BodyPublishers.ofString("[]")));

        assertThat(List.of(wrongSecret, unknownKey, wrongRegion, changedBody)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(403));
        assertThat(wrongSecret.body()).contains("The request signature we calculated does not match");
        assertThat(wrongSecret.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
        assertThat(unknownKey.body()).isEqualTo("{\"message\":\"The security token included in the request is invalid.\"}");
        assertThat(unknownKey.headers().firstValue("x-amzn-ErrorType")).hasValue("UnrecognizedClientException");
        assertThat(wrongRegion.body()).isEqualTo("{\"message\":\"Credential should be scoped to a valid region. \"}");
        assertThat(changedBody.body()).contains("The request signature we calculated does not match");
    }

    @Test
    void aSignatureOlderOrNewerThanFiveMinutesIsRefused() throws Exception {
        // The stand-in's clock, not the client's, is moved: a signature made now is 6 minutes old to the first
        // server and 6 minutes in the future to the second.
        Duration skew = SigV4Verifier.MAX_SKEW.plusMinutes(1);
        ApiGatewayServer later = serve(verifier("us-east-1", Clock.offset(Clock.systemUTC(), skew)));
        ApiGatewayServer earlier = serve(verifier("us-east-1", Clock.offset(Clock.systemUTC(), skew.negated())));

        HttpResponse<String> expired = send(signed("POST", later.url() + "/reconcile", BODY, "local", "local", "us-east-1"));
        HttpResponse<String> early = send(signed("POST", earlier.url() + "/reconcile", BODY, "local", "local", "us-east-1"));

        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(expired.body()).startsWith("{\"message\":\"Signature expired: ").contains(" - 5 min.)");
        assertThat(early.statusCode()).isEqualTo(403);
        assertThat(early.body()).startsWith("{\"message\":\"Signature not yet current: ");
    }

    @Test
    void anOpenServerAcceptsAnything() throws Exception {
        ApiGatewayServer server = ApiGatewayServer.fromClassPath("test-fn", ApiGatewayTestHandlers.class.getName() + "$Echo", Map.of());
        servers.add(server.start(0));

        assertThat(server.requiresSignatures()).isFalse();
        assertThat(send(HttpRequest.newBuilder(URI.create(server.url() + "/reconcile")).POST(HttpRequest.BodyPublishers.ofString(BODY)))
                .statusCode()).isEqualTo(200);
    }

    /**
     * A request signed by the SDK's {@code Aws4Signer} (deprecated for SDK clients, which now sign with
     * {@code AwsV4HttpSigner}; kept here because it is the one in {@code auth}, the SDK module this one declares).
     */
    @SuppressWarnings("deprecation")
    private static HttpRequest.Builder signed(String method, String url, String body, String accessKey, String secret, String region) {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(URI.create(url))
                .putHeader("Content-Type", "application/json");
        if (!body.isEmpty()) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            request.contentStreamProvider(() -> new ByteArrayInputStream(bytes));
        }
        SdkHttpFullRequest signed = Aws4Signer.create().sign(request.build(), Aws4SignerParams.builder()
                .awsCredentials(AwsBasicCredentials.create(accessKey, secret)).signingName("execute-api")
                .signingRegion(Region.of(region)).build());
        HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(url));
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                values.forEach(v -> out.header(name, v));
            }
        });
        return body.isEmpty() ? out.GET() : out.method(method, HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** curl's own SigV4 (curl 7.75 and later), as the README shows: "status body". */
    private static String curl(String url, String user, String sigv4) throws Exception {
        Path out = Files.createTempFile("curl", ".out");
        try {
            Process curl = new ProcessBuilder("curl", "-sS", "-o", out.toString(), "-w", "%{http_code}", "--aws-sigv4", sigv4,
                    "--user", user, "-H", "Content-Type: application/json", "-d", BODY, url).redirectErrorStream(true).start();
            String status = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(curl.exitValue()).as(status).isZero();
            String body = Files.readString(out);
            return status.equals("200") ? body : status + " " + body;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
