package io.streamwreck.streamchecker;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.lambda.ApiGatewayServer;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pending records in both modes: the stream-checker reading the lease table itself ({@code --redis}, the ledger
 * path) and the checker Lambda reading it per request ({@code --endpoint}) give the same report. The lease table
 * has KCL's layout; the fleet's own tables are read in system-tests' {@code LagIsNotLossIT}.
 */
@WithLocalStack
class PendingIT {

    private static final String S0 = "shardId-000000000000";

    @Test
    void recordsAfterTheCheckpointArePendingAndThoseAtOrBeforeItUndelivered(LocalStack stack) throws Exception {
        TestStream stream = TestStream.create(stack, "pending", 1);
        String app = "pending-app-" + System.nanoTime();
        String redis = stack.endpoints().redis().toString();
        List<RecordKey> keys = stream.putPlain(S0, 10);
        try (RedisLedger ledger = RedisLedger.connect(redis, false, Duration.ofHours(1))) {
            new TestLedger(ledger, new Scope(stream.name(), app)).notice(keys.subList(0, 5), keys.subList(0, 5));
        }
        // The consumer checkpointed at the 7th record: the 6th and 7th were read past but never delivered (lost);
        // the last three it has not reached yet.
        stack.dynamoDb().createTable(b -> b.tableName(app).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("leaseKey").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("leaseKey").attributeType(ScalarAttributeType.S)));
        stack.dynamoDb().putItem(b -> b.tableName(app).item(Map.of("leaseKey", AttributeValue.fromS(S0),
                "checkpoint", AttributeValue.fromS(keys.get(6).sequenceNumber()),
                "checkpointSubSequenceNumber", AttributeValue.fromN("0"), "leaseCounter", AttributeValue.fromN("1"))));
        Map<String, String> env = new java.util.HashMap<>(stack.endpoints().environment());
        try (ApiGatewayServer checker = ApiGatewayServer.fromDeploymentPackage("checker-lambda",
                Path.of("../checker-lambda/target/checker-lambda.jar"), "io.streamwreck.checker.CheckerHandler::handleRequest", env)
                .start(0)) {

            CheckerRun direct = CheckerRun.run(stack, "--stream", stream.name(), "--app", app, "--redis", redis,
                    "--settle", "0s", "--format", "json");
            CheckerRun viaApi = CheckerRun.run(stack, "--stream", stream.name(), "--app", app, "--endpoint", checker.url().toString(),
                    "--settle", "0s", "--format", "json");
            CheckerRun noTable = CheckerRun.run(stack, "--stream", stream.name(), "--app", app, "--redis", redis,
                    "--settle", "0s", "--format", "json", "--lease-table", "none");

            assertThat(direct.exitCode()).as(direct.stderr()).isEqualTo(1);
            JsonNode report = direct.report();
            assertThat(report.get("Total").get("Pending").asLong()).isEqualTo(3);
            assertThat(report.get("Drift").asLong()).isEqualTo(2);
            assertThat(strings(report.get("Undelivered"))).containsExactly(keys.get(5).toString(), keys.get(6).toString());
            assertThat(report.get("Evidence").asText()).isEqualTo("checkpoints of 1 shard from the lease table " + app);
            JsonNode shard = report.get("Shards").get(0);
            assertThat(shard.get("Checkpoint").get("Checkpoint").asText()).isEqualTo(keys.get(6).sequenceNumber());
            assertThat(shard.get("Behind").get("Records").asLong()).isEqualTo(3);
            assertThat(viaApi.exitCode()).as(viaApi.stderr()).isEqualTo(1);
            assertThat(viaApi.report()).isEqualTo(report);
            // Without the lease table, the settle window alone: the lag is undelivered, and the report says why.
            assertThat(noTable.exitCode()).isEqualTo(1);
            assertThat(noTable.report().get("Total").get("Undelivered").asLong()).isEqualTo(5);
            assertThat(noTable.report().get("Evidence").asText()).contains("judged by the settle window alone");
        }
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
