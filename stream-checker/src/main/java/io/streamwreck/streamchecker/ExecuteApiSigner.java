package io.streamwreck.streamchecker;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signs requests to the checker API with SigV4 for {@code execute-api} — what API Gateway requires of every
 * route with IAM authorisation — using the AWS SDK's own signer ({@link AwsV4HttpSigner}) and credentials from
 * the SDK's default chain (environment, profile, SSO, container or instance role), resolved per request so that
 * refreshed credentials are used.
 */
final class ExecuteApiSigner implements AutoCloseable {

    static final String SERVICE = "execute-api";
    /** {@code <api id>.execute-api.<region>.amazonaws.com[.cn]}: the region is in the host. */
    private static final Pattern EXECUTE_API_HOST =
            Pattern.compile("([a-z0-9]+)\\.execute-api\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?");

    private final AwsCredentialsProvider credentials;
    private final String region;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    ExecuteApiSigner(AwsCredentialsProvider credentials, String region) {
        this.credentials = credentials;
        this.region = region;
    }

    /** Signs with the default credentials chain. */
    static ExecuteApiSigner withDefaultCredentials(String region) {
        return new ExecuteApiSigner(DefaultCredentialsProvider.builder().build(), region);
    }

    String region() {
        return region;
    }

    /** The region of an {@code execute-api} endpoint, from its host name; empty for any other host (a custom domain, loopback). */
    static Optional<String> regionOf(URI endpoint) {
        Matcher m = hostMatcher(endpoint);
        return m.matches() ? Optional.of(m.group(2)) : Optional.empty();
    }

    /** The API id of an {@code execute-api} endpoint, from its host name. */
    static Optional<String> apiIdOf(URI endpoint) {
        Matcher m = hostMatcher(endpoint);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static Matcher hostMatcher(URI endpoint) {
        String host = endpoint.getHost() == null ? "" : endpoint.getHost().toLowerCase(Locale.ROOT);
        return EXECUTE_API_HOST.matcher(host);
    }

    /**
     * Fails at once, before any shard is read, when the chain finds no credentials.
     *
     * @throws ScanFailedException saying so in one line
     */
    void checkCredentials(URI endpoint) {
        try {
            credentials.resolveCredentials();
        } catch (SdkClientException e) {
            throw new ScanFailedException("no AWS credentials to sign the requests to the checker at " + endpoint
                    + " with (the AWS SDK's default chain found none: set AWS_PROFILE or AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY, or run with a role; --no-sign for an endpoint without IAM authorisation)", e);
        }
    }

    /**
     * A request for {@code uri} with {@code body} (empty for GET), its headers ({@code Authorization},
     * {@code X-Amz-Date}, {@code x-amz-content-sha256}, {@code X-Amz-Security-Token} for temporary credentials)
     * set; the JDK client sets {@code Host} itself, from the same URI.
     */
    HttpRequest.Builder sign(String method, URI uri, String contentType, byte[] body) {
        AwsCredentials identity = credentials.resolveCredentials();
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        if (contentType != null) {
            request.putHeader("Content-Type", contentType);
        }
        SignedRequest signed = signer.sign(r -> r.identity(identity)
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder out = HttpRequest.newBuilder(uri);
        signed.request().headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(v -> out.header(name, v));
            }
        });
        return out;
    }

    @Override
    public void close() {
        if (credentials instanceof SdkAutoCloseable closeable) {
            closeable.close();
        }
    }
}
