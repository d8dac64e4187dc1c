package io.streamwreck.streamchecker;

import io.streamwreck.local.lambda.SigV4Verifier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExecuteApiSignerTest {

    private static final URI RECONCILE = URI.create("http://127.0.0.1:8080/v1/reconcile");

    @Test
    void theRegionAndApiIdComeFromAnExecuteApiHost() {
        URI deployed = URI.create("https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/v1");
        assertThat(ExecuteApiSigner.regionOf(deployed)).hasValue("eu-west-1");
        assertThat(ExecuteApiSigner.apiIdOf(deployed)).hasValue("a1b2c3d4e5");
        assertThat(ExecuteApiSigner.regionOf(URI.create("https://a1b2c3.execute-api.cn-north-1.amazonaws.com.cn/v1"))).hasValue("cn-north-1");
        assertThat(ExecuteApiSigner.regionOf(URI.create("https://checker.example.com/v1"))).isEmpty();
        assertThat(ExecuteApiSigner.regionOf(RECONCILE)).isEmpty();
    }

    @Test
    void aSignedRequestIsWhatApiGatewaysCheckAccepts() {
        byte[] body = "{\"Keys\":[]}".getBytes(StandardCharsets.UTF_8);
        HttpRequest request = signer("local", "us-east-1").sign("POST", RECONCILE, "application/json", body)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();

        assertThat(request.headers().firstValue("Authorization")).get().asString()
                .startsWith("AWS4-HMAC-SHA256 Credential=local/").contains("/us-east-1/execute-api/aws4_request");
        assertThat(verify(request, body, "us-east-1")).isEmpty();
        assertThat(verify(request, body, "eu-west-1")).get().extracting(SigV4Verifier.Refusal::message)
                .isEqualTo("Credential should be scoped to a valid region. ");
        assertThat(verify(request, "{}".getBytes(StandardCharsets.UTF_8), "us-east-1")).get()
                .extracting(SigV4Verifier.Refusal::errorType).isEqualTo("InvalidSignatureException");
    }

    @Test
    void anotherSecretGivesAnotherSignature() {
        byte[] body = new byte[0];
        HttpRequest request = signer("wrong", "us-east-1").sign("GET", URI.create("http://127.0.0.1:8080/v1/health"), null, body).GET().build();

        assertThat(verify(request, body, "us-east-1")).get().extracting(SigV4Verifier.Refusal::message).asString()
                .startsWith("The request signature we calculated does not match");
    }

    private static ExecuteApiSigner signer(String secret, String region) {
        return new ExecuteApiSigner(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", secret)), region);
    }

    /** What the local API Gateway stand-in says of the request, with the Host header the JDK client adds. */
    private static java.util.Optional<SigV4Verifier.Refusal> verify(HttpRequest request, byte[] body, String region) {
        Map<String, List<String>> headers = new java.util.HashMap<>(request.headers().map());
        headers.put("Host", List.of(request.uri().getHost() + ":" + request.uri().getPort()));
        return new SigV4Verifier("local", "local", region, Clock.systemUTC())
                .check(request.method(), request.uri().getRawPath(), request.uri().getRawQuery(), headers, body);
    }
}
