package io.streamwreck.notified;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.KeyStatus;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Lambda deployment jar on its own, in a fresh JVM as Lambda runs it: it holds everything the function
 * needs (no class from this build's class path), its own log4j2.properties gives JSON logs with Powertools' fields,
 * and its metrics come out as EMF.
 */
@WithLocalStack
class NotifiedDeploymentJarIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theJarAloneRecordsANoticeWithJsonLogsAndEmf(LocalStack stack) throws Exception {
        String redisUrl = stack.endpoints().redis().toString();
        Scope scope = TestNotices.freshScope("jar");
        // DEBUG brings the per-invocation summary line, which carries the Lambda context's fields.
        InitProbeRun.Result run = InitProbeRun.run(Path.of("target/notified-lambda.jar"), redisUrl,
                Map.of("POWERTOOLS_LOG_LEVEL", "DEBUG"), scope.stream(), 500, Path.of("target/init-probe-it"));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.initMs()).isPositive();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.stdout()) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line)); // every line is one JSON object: nothing hand-formatted
            }
        }
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.path("message").asText()).isEqualTo("notified-lambda ready");
            assertThat(l.path("ledger").asText()).isEqualTo(redisUrl);
        });
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.path("message").asText()).isEqualTo("notices recorded");
            assertThat(l.path("function_name").asText()).isEqualTo("notified-probe");
            assertThat(l.path("service").asText()).isEqualTo("notified-lambda");
            assertThat(l.path("cold_start").asBoolean()).isTrue();
            assertThat(l.path("keysRecorded").asInt()).isEqualTo(500);
        });
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo(NotifiedSettings.DEFAULT_NAMESPACE);
            assertThat(l.path("KeysRecorded").asDouble()).isEqualTo(500);
        });

        try (RedisLedger ledger = RedisLedger.connect(redisUrl, false, Duration.ofHours(1))) {
            assertThat(ledger.classify(scope, TestNotices.keys(0, 0, 500))).extracting(KeyStatus::classification)
                    .containsOnly(Classification.PROCESSED);
        }
    }
}
