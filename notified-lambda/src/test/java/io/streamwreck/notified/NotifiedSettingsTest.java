package io.streamwreck.notified;

import io.streamwreck.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifiedSettingsTest {

    @Test
    void theLedgerAndMetricsSettingsComeFromTheEnvironmentWithDefaults() {
        NotifiedSettings defaults = NotifiedSettings.from(Map.of("REDIS_URL", "redis://cache:6379"));
        assertThat(defaults.redisUrl()).isEqualTo("redis://cache:6379");
        assertThat(defaults.redisCluster()).isFalse();
        assertThat(defaults.ledgerTtl()).isEqualTo(Duration.ofHours(48));
        assertThat(defaults.metricsNamespace()).isEqualTo("streamwreck");
        assertThat(defaults.service()).isEqualTo("notified-lambda");
        assertThat(defaults.onLambda()).isFalse();
        assertThat(defaults.emfEnvironment()).isNull();

        NotifiedSettings set = NotifiedSettings.from(Map.of("REDIS_URL", "rediss://cfg.cache.amazonaws.com:6379",
                "REDIS_CLUSTER", "true", "LEDGER_TTL", "7d", "POWERTOOLS_METRICS_NAMESPACE", "acme",
                "POWERTOOLS_SERVICE_NAME", "ledger-writer", "AWS_LAMBDA_FUNCTION_NAME", "notified", "AWS_EMF_ENVIRONMENT", "Lambda"));
        assertThat(set.redisCluster()).isTrue();
        assertThat(set.ledgerTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(set.metricsNamespace()).isEqualTo("acme");
        assertThat(set.service()).isEqualTo("ledger-writer");
        assertThat(set.onLambda()).isTrue();
        assertThat(set.emfEnvironment()).isEqualTo("Lambda");
    }

    @Test
    void aMissingOrMalformedSettingIsNamed() {
        assertThatThrownBy(() -> NotifiedSettings.from(Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("REDIS_URL");
        assertThatThrownBy(() -> NotifiedSettings.from(Map.of("REDIS_URL", "http://cache:6379")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("REDIS_URL");
        assertThatThrownBy(() -> NotifiedSettings.from(Map.of("REDIS_URL", "redis://cache:6379", "LEDGER_TTL", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LEDGER_TTL");
    }

    @Test
    void theSettingsNeverPrintTheRedisAuthToken() {
        NotifiedSettings settings = NotifiedSettings.from(Map.of("REDIS_URL", "rediss://:s3cr3t-token@cache:6379"));
        assertThat(settings.toString()).doesNotContain("s3cr3t-token").doesNotContain("cache:6379");
    }
}
