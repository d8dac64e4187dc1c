package io.streamwreck.checker;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Talks HTTP to a served checker, as the stream-checker or a script would. */
final class CheckerClient {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;

    CheckerClient(URI base) {
        this.base = base;
    }

    /** One answer: status, headers, and the body parsed as JSON. */
    record Answer(int status, Map<String, java.util.List<String>> headers, String text) {
        JsonNode json() {
            return Fixtures.parse(text);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    Answer post(String path, String json) {
        return send("POST", path, Map.of(), json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    Answer get(String path) {
        return send("GET", path, Map.of(), null);
    }

    Answer send(String method, String path, Map<String, String> headers, byte[] body) {
        try {
            return http.send(request(method, path, headers, body), this::answer).body();
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    HttpRequest request(String method, String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return b.build();
    }

    HttpResponse.BodySubscriber<Answer> answer(HttpResponse.ResponseInfo info) {
        return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofString(java.nio.charset.StandardCharsets.UTF_8),
                text -> new Answer(info.statusCode(), info.headers().map(), text));
    }

    HttpClient http() {
        return http;
    }
}
