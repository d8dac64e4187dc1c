package io.streamwreck.streamchecker;

import io.streamwreck.core.retry.Backoff;
import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.KeyStatus;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code --endpoint}: asks the checker API, {@code POST <url>/reconcile} with
 * {@code {"Stream","Application","Keys"}}, one batch of keys per request.
 *
 * <p>Answers that may pass are retried with backoff — 503 (the ledger did not answer), 429 and 504 (API
 * Gateway throttled or timed out), a dropped connection — five attempts over about eight seconds. Every other
 * error status ends the scan with the checker's own message: a 400 here means this client sent something the
 * checker refuses, which retrying cannot mend.
 *
 * <p>With a signer (on by default for https endpoints: API Gateway with IAM authorisation), every request is
 * signed with SigV4 for {@code execute-api}; a 403 — API Gateway refusing the caller or its signature — ends the
 * scan with one line naming the permission the caller needs.
 */
final class CheckerApiClassifier implements KeyClassifier {

    private static final int ATTEMPTS = 5;
    /** API Gateway gives up after 29 s; a little more, so that its 504 arrives rather than our own time-out. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(35);

    private final URI base;
    private final URI reconcile;
    private final URI health;
    private final String stream;
    private final String application;
    private final HttpClient http;
    private final Backoff backoff;
    private final ExecuteApiSigner signer;
    private final AtomicReference<String> answeredApplication = new AtomicReference<>();

    /**
     * @param application null to use the checker's default application (its APP_NAME)
     * @param signer      null to send unsigned requests (an API without IAM authorisation, such as make up's)
     */
    CheckerApiClassifier(URI base, String stream, String application, ExecuteApiSigner signer) {
        this(base, stream, application, signer, Backoff.of(Duration.ofMillis(500), Duration.ofSeconds(4)).withFloor(Duration.ofMillis(250)));
    }

    CheckerApiClassifier(URI base, String stream, String application, ExecuteApiSigner signer, Backoff backoff) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.reconcile = URI.create(this.base + "/reconcile");
        this.health = URI.create(this.base + "/health");
        this.stream = stream;
        this.application = application;
        this.backoff = backoff;
        this.signer = signer;
        // HTTP/1.1: one request per connection at a time, a connection per batch in flight; h2c upgrade buys nothing here.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        if (application != null) {
            answeredApplication.set(application);
        }
    }

    @Override
    public void checkReachable() throws InterruptedException {
        if (signer != null) {
            signer.checkCredentials(base);
        }
        HttpRequest request = request("GET", health, null, new byte[0]).timeout(REQUEST_TIMEOUT).GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // At the start a refused connection is a wrong URL or a checker that is not running: no point waiting.
            throw unreachable(e);
        }
        if (response.statusCode() == 503) {
            // The checker runs but its ledger does not answer (yet): the first batch retries that with backoff.
            return;
        }
        if (response.statusCode() == 403) {
            throw forbidden("GET", health, response);
        }
        if (response.statusCode() != 200) {
            throw new ScanFailedException("the checker at " + base + " answered GET /health with " + response.statusCode() + ": "
                    + ReconcileJson.errorMessage(response.body()) + " (is " + base + " the checker's URL?)");
        }
    }

    @Override
    public List<KeyStatus> classify(String shardId, List<RecordKey> keys) throws InterruptedException {
        byte[] body = ReconcileJson.request(stream, application, keys);
        for (int attempt = 1; ; attempt++) {
            String retryable;
            try {
                // Signed again for every attempt: a signature is good for 5 minutes, credentials may have been refreshed.
                HttpRequest request = request("POST", reconcile, "application/json", body)
                        .timeout(REQUEST_TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status == 200) {
                    ReconcileJson.Answer answer = ReconcileJson.answer(response.body(), keys);
                    if (answer.application() != null) {
                        answeredApplication.compareAndSet(null, answer.application());
                    }
                    return answer.statuses();
                }
                if (status == 403) {
                    throw forbidden("POST", reconcile, response);
                }
                String message = ReconcileJson.errorMessage(response.body());
                if (status != 503 && status != 504 && status != 429) {
                    throw new ScanFailedException("the checker at " + base + " refused a request of " + keys.size()
                            + " keys with " + status + " " + message);
                }
                retryable = status + " " + message;
            } catch (ConnectException e) {
                retryable = "cannot connect: " + (e.getMessage() == null ? "connection refused" : ScanFailedException.rootMessage(e));
            } catch (IOException e) {
                retryable = ScanFailedException.rootMessage(e);
            }
            if (attempt == ATTEMPTS) {
                throw new ScanFailedException("the checker at " + base + " did not answer after " + ATTEMPTS + " attempts: " + retryable);
            }
            backoff.sleep(attempt);
        }
    }

    private HttpRequest.Builder request(String method, URI uri, String contentType, byte[] body) {
        if (signer != null) {
            return signer.sign(method, uri, contentType, body);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        return contentType == null ? request : request.header("Content-Type", contentType);
    }

    /**
     * API Gateway refused the call (the checker itself never answers 403): the caller lacks the permission, or
     * its signature is missing, expired, for another region or made with other credentials — API Gateway's own
     * message says which.
     */
    private ScanFailedException forbidden(String method, URI uri, HttpResponse<byte[]> response) {
        String why = ReconcileJson.errorMessage(response.body());
        String path = uri.getPath().substring(base.getPath().length());
        String region = signer != null ? signer.region() : ExecuteApiSigner.regionOf(base).orElse("<region>");
        String apiId = ExecuteApiSigner.apiIdOf(base).orElse("<api id>");
        String stage = base.getPath().isEmpty() || base.getPath().equals("/") ? "<stage>" : base.getPath().substring(1);
        String arn = "arn:aws:execute-api:" + region + ":<account>:" + apiId + "/" + stage + "/" + method + path;
        return new ScanFailedException("not allowed to call " + method + " " + uri + " (403 " + why + ") — the caller needs "
                + "execute-api:Invoke on " + arn + (signer == null
                ? ", and requests signed with SigV4 (this one was sent unsigned: use --sign or CHECKER_SIGN=true)"
                : ", and its credentials to sign with SigV4 for " + region));
    }

    private ScanFailedException unreachable(IOException e) {
        String why = e instanceof ConnectException && e.getMessage() == null ? "connection refused" : ScanFailedException.rootMessage(e);
        return new ScanFailedException("cannot reach the checker at " + base + ": " + why
                + " (is it running? make up serves it and writes CHECKER_URL)", e);
    }

    @Override
    public Optional<String> application() {
        return Optional.ofNullable(answeredApplication.get());
    }

    @Override
    public void close() {
        // java.net.http.HttpClient has no close() before Java 21; its threads are daemons and its connections time out.
        if (signer != null) {
            signer.close();
        }
    }
}
