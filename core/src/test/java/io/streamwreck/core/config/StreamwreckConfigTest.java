package io.streamwreck.core.config;

import io.streamwreck.core.config.StreamwreckConfig.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamwreckConfigTest {

    static final String SECRET = "s3cr3t-t0ken";

    @Test
    void readsEveryVariable() {
        StreamwreckConfig config = StreamwreckConfig.from(Map.of(
                "STREAM_NAME", "orders",
                "APP_NAME", "billing",
                "REDIS_URL", "redis://ledger.internal:6379/0",
                "TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:notices",
                "AWS_REGION", "eu-west-1",
                "LEDGER_TTL", "72h"));

        assertThat(config.streamName()).contains("orders");
        assertThat(config.appName()).contains("billing");
        assertThat(config.redisUrl()).contains("redis://ledger.internal:6379/0");
        assertThat(config.topicArn()).contains("arn:aws:sns:eu-west-1:123456789012:notices");
        assertThat(config.region()).contains("eu-west-1");
        assertThat(config.ledgerTtl()).isEqualTo(Duration.ofHours(72));
    }

    @Test
    void anEmptyEnvironmentLeavesEverythingUnsetButTheLedgerTtl() {
        StreamwreckConfig config = StreamwreckConfig.from(Map.of());

        assertThat(config.streamName()).isEmpty();
        assertThat(config.appName()).isEmpty();
        assertThat(config.redisUrl()).isEmpty();
        assertThat(config.topicArn()).isEmpty();
        assertThat(config.region()).isEmpty();
        assertThat(config.ledgerTtl()).isEqualTo(Duration.ofHours(48)).isEqualTo(StreamwreckConfig.DEFAULT_LEDGER_TTL);
        for (Service service : Service.values()) {
            assertThat(config.endpoint(service)).as(service.name()).isEmpty();
        }
    }

    @Test
    void blankValuesCountAsUnsetAndValuesAreTrimmed() {
        StreamwreckConfig config = StreamwreckConfig.from(Map.of(
                "STREAM_NAME", "  orders\n", "APP_NAME", "   ", "LEDGER_TTL", " ", "AWS_ENDPOINT_URL", ""));

        assertThat(config.streamName()).contains("orders");
        assertThat(config.appName()).isEmpty();
        assertThat(config.ledgerTtl()).isEqualTo(Duration.ofHours(48));
        assertThat(config.endpoint(Service.KINESIS)).isEmpty();
    }

    @Test
    void laterChangesToTheMapDoNotChangeTheConfig() {
        Map<String, String> env = new HashMap<>(Map.of("STREAM_NAME", "orders"));
        StreamwreckConfig config = StreamwreckConfig.from(env);

        env.put("STREAM_NAME", "payments");

        assertThat(config.streamName()).contains("orders");
    }

    @Test
    void awsRegionWinsOverAwsDefaultRegion() {
        assertThat(config("AWS_DEFAULT_REGION", "us-east-2").region()).contains("us-east-2");
        assertThat(StreamwreckConfig.from(Map.of("AWS_REGION", "eu-central-1", "AWS_DEFAULT_REGION", "us-east-2"))
                .region()).contains("eu-central-1");
    }

    // ---- endpoints -------------------------------------------------------------------------------------

    @Test
    void aServiceEndpointOverridesTheGeneralOne() {
        StreamwreckConfig config = StreamwreckConfig.from(Map.of(
                "AWS_ENDPOINT_URL", "http://127.0.0.1:4566",
                "AWS_ENDPOINT_URL_KINESIS", "http://127.0.0.1:4567",
                "AWS_ENDPOINT_URL_DYNAMODB", "https://dynamodb.local:8000"));

        assertThat(config.endpoint(Service.KINESIS)).contains(URI.create("http://127.0.0.1:4567"));
        assertThat(config.endpoint(Service.DYNAMODB)).contains(URI.create("https://dynamodb.local:8000"));
        assertThat(config.endpoint(Service.SNS)).contains(URI.create("http://127.0.0.1:4566"));
        assertThat(config.endpoint(Service.SQS)).contains(URI.create("http://127.0.0.1:4566"));
    }

    @Test
    void aServiceEndpointAloneLeavesTheOtherServicesOnTheirDefaults() {
        StreamwreckConfig config = config("AWS_ENDPOINT_URL_SNS", "http://localhost:5000");

        assertThat(config.endpoint(Service.SNS)).contains(URI.create("http://localhost:5000"));
        assertThat(config.endpoint(Service.KINESIS)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void serviceEndpointVariablesAreTheSdkNames(Service service) {
        assertThat(service.endpointVariable()).isEqualTo("AWS_ENDPOINT_URL_" + service.name());
        assertThat(config(service.endpointVariable(), "http://localhost:1234").endpoint(service))
                .contains(URI.create("http://localhost:1234"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:4566", "127.0.0.1:4566", "ftp://localhost:21", "http://", "http:///path",
            "http://bad host:4566", "//localhost:4566", "not a url"})
    void rejectsAMalformedEndpointNamingTheVariable(String url) {
        assertRejected("AWS_ENDPOINT_URL_KINESIS", url, "AWS_ENDPOINT_URL_KINESIS: \"" + url.trim() + "\"");
        assertRejected("AWS_ENDPOINT_URL", url, "AWS_ENDPOINT_URL: \"" + url.trim() + "\"");
    }

    // ---- ledger TTL and Redis --------------------------------------------------------------------------

    @Test
    void readsTheLedgerTtlInEveryDurationForm() {
        assertThat(config("LEDGER_TTL", "PT48H").ledgerTtl()).isEqualTo(Duration.ofHours(48));
        assertThat(config("LEDGER_TTL", "8d").ledgerTtl()).isEqualTo(Duration.ofDays(8));
        assertThat(config("LEDGER_TTL", "1m").ledgerTtl()).isEqualTo(Duration.ofMinutes(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"forever", "48", "48 h", "-48h", "PT-48H", "59s", "0s", "500ms", "PT59.999S"})
    void rejectsAMalformedOrTooShortLedgerTtlNamingTheVariable(String ttl) {
        assertRejected("LEDGER_TTL", ttl, "LEDGER_TTL: ");
        assertThatThrownBy(() -> config("LEDGER_TTL", ttl)).hasMessageContaining(ttl);
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis://localhost:6379", "rediss://:token@cache.example.com:6380/1", "REDIS://localhost"})
    void acceptsRedisAndTlsRedisUrls(String url) {
        assertThat(config("REDIS_URL", url).redisUrl()).contains(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:6379", "http://localhost:6379", "redis:/localhost", "tcp://localhost:6379",
            "redis-server"})
    void rejectsAMalformedRedisUrlNamingTheVariable(String url) {
        assertRejected("REDIS_URL", url, "REDIS_URL: ");
        assertThatThrownBy(() -> config("REDIS_URL", url)).hasMessageContaining("redis:// or rediss://");
    }

    // ---- toString, require -----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"redis://:" + SECRET + "@cache.example.com:6379/0",
            "rediss://default:" + SECRET + "@cache.example.com:6380",
            "redis://" + SECRET + "@cache.example.com"})
    void toStringNeverShowsTheRedisPassword(String url) {
        StreamwreckConfig config = StreamwreckConfig.from(Map.of("REDIS_URL", url, "STREAM_NAME", "orders"));

        assertThat(config.toString())
                .doesNotContain(SECRET)
                .doesNotContain(url)
                .contains("redis=set")
                .contains("stream=orders");
    }

    @Test
    void toStringSaysWhenRedisIsUnset() {
        assertThat(StreamwreckConfig.from(Map.of()).toString()).contains("redis=unset").contains("ledgerTtl=PT48H");
    }

    @Test
    void requireReturnsAPresentValue() {
        assertThat(StreamwreckConfig.require(Optional.of("orders"), "STREAM_NAME", "--stream")).isEqualTo("orders");
    }

    @Test
    void requireNamesTheFlagAndTheVariableOfAMissingValue() {
        assertThatThrownBy(() -> StreamwreckConfig.require(Optional.empty(), "STREAM_NAME", "--stream"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--stream")
                .hasMessageContaining("STREAM_NAME");
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static StreamwreckConfig config(String variable, String value) {
        return StreamwreckConfig.from(Map.of(variable, value));
    }

    private static void assertRejected(String variable, String value, String messageStart) {
        assertThatThrownBy(() -> config(variable, value))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(messageStart);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://:s3cr3t-token@cache.example:6379", "redis//:s3cr3t-token@cache.example", "s3cr3t-token@cache"})
    void aMalformedRedisUrlIsRejectedWithoutPrintingItsToken(String url) {
        assertThatThrownBy(() -> StreamwreckConfig.from(Map.of("REDIS_URL", url)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("REDIS_URL")
                .hasMessageContaining("@cache")
                .hasMessageNotContaining("s3cr3t-token");
    }

    @Test
    void redisClusterModeIsReadAndValidated() {
        assertThat(StreamwreckConfig.from(Map.of()).redisCluster()).isFalse();
        assertThat(StreamwreckConfig.from(Map.of("REDIS_CLUSTER", "TRUE")).redisCluster()).isTrue();
        assertThatThrownBy(() -> StreamwreckConfig.from(Map.of("REDIS_CLUSTER", "yes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("REDIS_CLUSTER");
    }
}
