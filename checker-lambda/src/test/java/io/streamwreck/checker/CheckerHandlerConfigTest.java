package io.streamwreck.checker;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.streamwreck.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckerHandlerConfigTest {

    @Test
    void withoutARedisUrlTheFunctionFailsToStartNamingTheVariable() {
        assertThatThrownBy(() -> new CheckerHandler(Map.of("STREAM_NAME", "orders")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("REDIS_URL");
    }

    @Test
    void aLedgerUnreachableAtStartIsAnswered503NotAnInitFailure() {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        try (CheckerHandler handler = new CheckerHandler(Map.of("REDIS_URL", "redis://127.0.0.1:1",
                "STREAM_NAME", "orders", "APP_NAME", "billing"))) {
            APIGatewayProxyResponseEvent reconcile = handler.handleRequest(new APIGatewayProxyRequestEvent()
                    .withHttpMethod("POST").withPath("/reconcile").withBody("[\"1\"]"), null);
            APIGatewayProxyResponseEvent health = handler.handleRequest(new APIGatewayProxyRequestEvent()
                    .withHttpMethod("GET").withPath("/health"), null);

            assertThat(reconcile.getStatusCode()).isEqualTo(503);
            assertThat(reconcile.getBody()).contains("\"Error\":\"LedgerUnavailable\"").doesNotContain("127.0.0.1");
            assertThat(reconcile.getHeaders()).containsEntry("Retry-After", "5");
            assertThat(health.getStatusCode()).isEqualTo(503);
            // Bad input is still 400, whether or not the ledger answers.
            assertThat(handler.handleRequest(new APIGatewayProxyRequestEvent()
                    .withHttpMethod("POST").withPath("/reconcile").withBody("[1]"), null).getStatusCode()).isEqualTo(400);
        }
    }

    @Test
    void aLeaseTableThatCannotBeReadIsAnswered503BeforeTheLedgerIsAsked() {
        // DynamoDB on a loopback port nothing listens on: without the checkpoints lag cannot be told from loss, so no
        // answer rather than a backlog reported as undelivered. (Redis is unreachable too: it is never asked.)
        try (CheckerHandler handler = new CheckerHandler(Map.of("REDIS_URL", "redis://127.0.0.1:1",
                "STREAM_NAME", "orders", "APP_NAME", "billing", "AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:1"))) {
            APIGatewayProxyResponseEvent reconcile = handler.handleRequest(new APIGatewayProxyRequestEvent()
                    .withHttpMethod("POST").withPath("/reconcile").withBody("[\"shardId-000000000000:1\"]"), null);

            assertThat(reconcile.getStatusCode()).isEqualTo(503);
            assertThat(reconcile.getBody()).contains("\"Error\":\"LeaseTableUnavailable\"", "cannot read the lease table billing");
            assertThat(reconcile.getHeaders()).containsEntry("Retry-After", "5");
        }
    }

    @Test
    void aMalformedRedisUrlIsRefusedWithoutPrintingItsToken() {
        assertThatThrownBy(() -> new CheckerHandler(Map.of("REDIS_URL", "http://:s3cr3t@cache:6379")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("REDIS_URL")
                .hasMessageNotContaining("s3cr3t");
    }
}
