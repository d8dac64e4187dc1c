package io.streamwreck.adapter;

import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One adapter process: the seed's curl commands as written, the other endpoints, ≥ 30 malformed webhook requests
 * (each a 4xx naming what is wrong, the service serving on), redelivery and the maintenance flag.
 */
@WithLocalStack
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookIT {

    private static final String BUCKET = "webhook-logs";
    private static final String STREAM = "webhook-orders";
    private AdapterProcess adapter;
    private StagedLines staged;
    private S3Client s3;
    private Path flag;

    @BeforeAll
    void start(LocalStack stack) throws Exception {
        Path dir = Files.createDirectories(Path.of("target/it/webhook"));
        flag = dir.resolve("down-for-maintenance").toAbsolutePath();
        Files.deleteIfExists(flag);
        staged = StagedLines.create(stack.postgres(), "webhook_it");
        stack.createStream(STREAM, 2);
        s3 = LogFiles.s3(stack.endpoints().s3());
        s3.createBucket(b -> b.bucket(BUCKET));
        LogFiles.put(s3, BUCKET, "orders/2026/12/04/app-1.log", LogFiles.content("app-1", 50, false));
        LogFiles.put(s3, BUCKET, "orders/2026/12/04/app-2.log.gz", LogFiles.content("app-2", 70, true));
        adapter = AdapterProcess.start(stack, staged.jdbcUrl(), dir, "adapter-webhook",
                List.of("--tables", "orders=" + STREAM, "--maintenance-flag", flag.toString()));
    }

    @AfterAll
    void stop() {
        if (adapter != null) {
            adapter.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    @Order(1)
    void theSeedsCurlCommandsWorkAsWritten() throws Exception {
        String url = adapter.uri().toString();
        // The seed's: curl -H content-type:application/json -d '{"table": "...", "s3path": "..."}' localhost/ingest
        String ingest = curl("curl", "-s", "-H", "content-type:application/json",
                "-d", "{\"table\": \"orders\", \"s3path\": \"s3://" + BUCKET + "/orders/2026/12/04/app-1.log\"}", url + "/ingest");
        assertThat(Http.JSON.readTree(ingest).get("IngestId").asLong()).isPositive();
        // curl's -d without a content type sends a form type: accepted, the body is JSON all the same.
        String gz = curl("curl", "-s", "-d", "{\"table\":\"orders\",\"s3path\":\"s3://" + BUCKET + "/orders/2026/12/04/app-2.log.gz\"}", url + "/ingest");
        assertThat(Http.JSON.readTree(gz).get("Ingests").get(0).get("Duplicate").asBoolean()).isFalse();
        // The seed's: curl localhost/_health, curl localhost/status
        assertThat(Http.JSON.readTree(curl("curl", "-s", url + "/_health")).get("Status").asText()).isEqualTo("up");
        await("both files written").atMost(Duration.ofSeconds(90)).until(() -> staged.count("written_at is not null") == 120);
        String status = curl("curl", "-s", url + "/status");
        assertThat(Http.JSON.readTree(status).get("Tables").get(0).get("Written").asLong()).isEqualTo(120);
        assertThat(Http.JSON.readTree(status).get("Tables").get(0).get("Enqueued").asLong()).isZero();
        assertThat(staged.count("cardinality(keys) = 0")).isZero();
    }

    @Test
    @Order(2)
    void aRedeliveredNotificationIngestsNothingTwice() throws Exception {
        String body = "{\"table\":\"orders\",\"s3path\":\"s3://" + BUCKET + "/orders/2026/12/04/app-1.log\"}";
        Http.Answer again = Http.post(adapter.uri(), "/ingest", body);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("Ingests").get(0).get("Duplicate").asBoolean()).isTrue();
        // The same object as S3 announces it, inside an SNS envelope.
        String event = s3Event("orders/2026/12/04/app-1.log");
        String sns = Http.JSON.writeValueAsString(java.util.Map.of("Type", "Notification", "Message", event));
        assertThat(Http.post(adapter.uri(), "/ingest", sns).json().get("Ingests").get(0).get("Duplicate").asBoolean()).isTrue();
        assertThat(staged.fileCount()).isEqualTo(2);
        assertThat(staged.count("true")).isEqualTo(120);
    }

    @Test
    @Order(3)
    void anS3EventNotificationIngestsItsObjectsIntoTheTableOfTheirPrefix() throws Exception {
        LogFiles.put(s3, BUCKET, "orders/2026/12/04/app+3 copy.log", LogFiles.content("app-3", 30, false));
        Http.Answer a = Http.post(adapter.uri(), "/ingest", s3Event("orders/2026/12/04/app%2B3+copy.log"));
        assertThat(a.status()).as(a.body()).isEqualTo(202);
        assertThat(a.json().get("Ingests").get(0).get("S3path").asText()).endsWith("/orders/2026/12/04/app+3 copy.log");
        await().atMost(Duration.ofSeconds(60)).until(() -> staged.count("written_at is not null") == 150);
    }

    static Stream<Arguments> malformed() {
        String ok = "s3://" + BUCKET + "/orders/2026/12/04/app-1.log";
        return Stream.of(
                Arguments.of("POST", "/ingest", "application/json", "", 400, "empty"),
                Arguments.of("POST", "/ingest", "application/json", "   ", 400, "empty"),
                Arguments.of("POST", "/ingest", "application/json", "{", 400, "not JSON"),
                Arguments.of("POST", "/ingest", "application/json", "{\"table\":\"orders\",", 400, "not JSON"),
                Arguments.of("POST", "/ingest", "application/json", "not json at all", 400, "not JSON"),
                Arguments.of("POST", "/ingest", "application/json", "{\"table\":\"orders\"} trailing", 400, "not JSON"),
                Arguments.of("POST", "/ingest", "application/json", "[\"s3://a/b\"]", 400, "not an object"),
                Arguments.of("POST", "/ingest", "application/json", "\"s3://a/b\"", 400, "not an object"),
                Arguments.of("POST", "/ingest", "application/json", "42", 400, "not an object"),
                Arguments.of("POST", "/ingest", "application/json", "null", 400, "not an object"),
                Arguments.of("POST", "/ingest", "application/json", "{}", 400, "\"table\" is missing"),
                Arguments.of("POST", "/ingest", "application/json", "{\"s3path\":\"" + ok + "\"}", 400, "\"table\" is missing"),
                Arguments.of("POST", "/ingest", "application/json", "{\"table\":\"orders\"}", 400, "\"s3path\" is missing"),
                Arguments.of("POST", "/ingest", "application/json", "{\"table\":7,\"s3path\":\"" + ok + "\"}", 400, "\"table\" must be a string"),
                Arguments.of("POST", "/ingest", "application/json", "{\"table\":\"orders\",\"s3path\":[1]}", 400, "\"s3path\" must be a string"),
                Arguments.of("POST", "/ingest", "application/json", "{\"table\":\"\",\"s3path\":\"" + ok + "\"}", 400, "\"table\" is empty"),
                Arguments.of("POST", "/ingest", "application/json", "{\"table\":\"nosuch\",\"s3path\":\"" + ok + "\"}", 400, "unknown table \"nosuch\""),
                Arguments.of("POST", "/ingest", "application/json", "{\"table\":\"orders\",\"s3path\":\"http://x/y\"}", 400, "is not an s3 path"),
                Arguments.of("POST", "/ingest", "application/json", "{\"table\":\"orders\",\"s3path\":\"/tmp/app.log\"}", 400, "is not an s3 path"),
                Arguments.of("POST", "/ingest", "application/json", "{\"table\":\"orders\",\"s3path\":\"s3://bucketonly\"}", 400, "names no object"),
                Arguments.of("POST", "/ingest", "application/json", "{\"table\":\"orders\",\"s3path\":\"s3://bucket/\"}", 400, "object key is empty"),
                Arguments.of("POST", "/ingest", "application/json", "{\"table\":\"orders\",\"s3path\":\"s3://Bad_Bucket/k\"}", 400, "not an S3 bucket name"),
                Arguments.of("POST", "/ingest", "application/json", "{\"table\":\"orders\",\"s3Path\":\"" + ok + "\"}", 400, "unknown field \"s3Path\""),
                Arguments.of("POST", "/ingest", "application/json", "{\"table\":\"orders\",\"table\":\"x\",\"s3path\":\"" + ok + "\"}", 400, "not JSON"),
                Arguments.of("POST", "/ingest", "application/json", "{\"table\":\"orders\",\"s3path\":\"s3://" + BUCKET + "/missing.log\"}", 422, "does not exist"),
                Arguments.of("POST", "/ingest", "application/json", "{\"table\":\"orders\",\"s3path\":\"s3://no-such-bucket-x/a.log\"}", 422, "does not exist"),
                Arguments.of("POST", "/ingest", "application/json", "{\"Records\":{}}", 400, "\"Records\" is not an array"),
                Arguments.of("POST", "/ingest", "application/json", "{\"Records\":[]}", 400, "\"Records\" is empty"),
                Arguments.of("POST", "/ingest", "application/json", "{\"Records\":[{\"eventSource\":\"aws:sqs\"}]}", 400, "Records[0].eventSource"),
                Arguments.of("POST", "/ingest", "application/json", "{\"Records\":[{\"eventSource\":\"aws:s3\"}]}", 400, "Records[0].eventName is missing"),
                Arguments.of("POST", "/ingest", "application/json", "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\"}]}", 400, "lacks s3.bucket.name"),
                Arguments.of("POST", "/ingest", "application/json", "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"" + BUCKET + "\"},\"object\":{\"key\":\"toplevel.log\"}}}]}", 400, "names no table"),
                Arguments.of("POST", "/ingest", "application/json", "{\"Type\":\"SubscriptionConfirmation\",\"Message\":\"x\"}", 400, "SubscriptionConfirmation"),
                Arguments.of("POST", "/ingest", "application/json", "{\"Type\":\"Notification\",\"Message\":\"{oops\"}", 400, "Message is not JSON"),
                Arguments.of("POST", "/ingest", "application/json", "{\"Type\":\"Notification\",\"Message\":\"{}\"}", 400, "not an S3 event notification"),
                Arguments.of("POST", "/ingest", "application/xml", "<ingest/>", 415, "content type \"application/xml\""),
                Arguments.of("POST", "/ingest", "multipart/form-data; boundary=x", "--x--", 415, "content type \"multipart/form-data\""),
                Arguments.of("POST", "/ingest", "application/json; charset=latin1", "{}", 415, "charset \"latin1\""),
                Arguments.of("POST", "/ingest", "application/json", "{\"table\":\"orders\",\"s3path\":\"" + "x".repeat(300_000) + "\"}", 413, "at most"),
                Arguments.of("GET", "/ingest", null, null, 405, "GET is not allowed here; only POST"),
                Arguments.of("PUT", "/ingest", "application/json", "{}", 405, "PUT is not allowed"),
                Arguments.of("DELETE", "/status", null, null, 405, "only GET"),
                Arguments.of("GET", "/shutdown", null, null, 405, "only POST"),
                Arguments.of("GET", "/nowhere", null, null, 404, "no such resource: /nowhere"));
    }

    @ParameterizedTest(name = "{0} {1} {3} → {4}")
    @MethodSource("malformed")
    @Order(4)
    void aMalformedRequestIsA4xxNamingWhatIsWrong(String method, String path, String type, String body, int status, String says) throws Exception {
        Http.Answer a = Http.send(adapter.uri(), method, path, type, body);
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.json()).as(a.body()).isNotNull();
        assertThat(a.json().get("Message").asText()).contains(says);
        assertThat(a.body()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(Http.get(adapter.uri(), "/_health").status()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void invalidUtf8IsRefused() throws Exception {
        java.net.http.HttpRequest r = java.net.http.HttpRequest.newBuilder(adapter.uri().resolve("/ingest"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'})).build();
        java.net.http.HttpResponse<String> a = java.net.http.HttpClient.newHttpClient().send(r, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(a.statusCode()).isEqualTo(400);
        assertThat(a.body()).contains("not valid UTF-8");
    }

    @Test
    @Order(6)
    void whileTheMaintenanceFlagExistsIngestAnswers503AndStagedLinesStillDrain() throws Exception {
        LogFiles.put(s3, BUCKET, "orders/2026/12/04/app-4.log", LogFiles.content("app-4", 40, false));
        LogFiles.put(s3, BUCKET, "orders/2026/12/04/app-5.log", LogFiles.content("app-5", 40, false));
        Http.Answer a = Http.post(adapter.uri(), "/ingest", "{\"table\":\"orders\",\"s3path\":\"s3://" + BUCKET + "/orders/2026/12/04/app-4.log\"}");
        assertThat(a.status()).isEqualTo(202);
        Files.writeString(flag, "");
        try {
            Http.Answer refused = Http.post(adapter.uri(), "/ingest", "{\"table\":\"orders\",\"s3path\":\"s3://" + BUCKET + "/orders/2026/12/04/app-5.log\"}");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.json().get("Error").asText()).isEqualTo("Maintenance");
            assertThat(Http.get(adapter.uri(), "/status").json().get("Maintenance").asBoolean()).isTrue();
            assertThat(Http.get(adapter.uri(), "/_ready").status()).isEqualTo(503);
            assertThat(Http.get(adapter.uri(), "/_health").status()).isEqualTo(200);
            // app-4, registered before the flag, is still staged and written.
            await().atMost(Duration.ofSeconds(60)).until(() -> staged.count("written_at is not null") == 190);
        } finally {
            Files.delete(flag);
        }
        assertThat(Http.post(adapter.uri(), "/ingest", "{\"table\":\"orders\",\"s3path\":\"s3://" + BUCKET + "/orders/2026/12/04/app-5.log\"}").status()).isEqualTo(202);
        assertThat(Http.get(adapter.uri(), "/_ready").status()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void theSeedsShutdownCurlDrainsAndStops() throws Exception {
        // The seed's: curl -d '' localhost/shutdown
        String answer = curl("curl", "-s", "-d", "", adapter.uri() + "/shutdown");
        assertThat(Http.JSON.readTree(answer).get("Status").asText()).isEqualTo("draining");
        await().atMost(Duration.ofSeconds(90)).until(() -> !adapter.process().isAlive());
        assertThat(adapter.process().exitValue()).isZero();
        assertThat(staged.count("written_at is null")).isZero();
        assertThat(staged.count("true")).isEqualTo(230);
        assertThat(adapter.log()).contains("summary drained=true staged=0");
    }

    private static String s3Event(String encodedKey) {
        return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\",\"eventName\":\"ObjectCreated:Put\","
                + "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"bucket\":{\"name\":\"" + BUCKET + "\"},\"object\":{\"key\":\"" + encodedKey + "\",\"size\":1}}}]}";
    }

    private static String curl(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
