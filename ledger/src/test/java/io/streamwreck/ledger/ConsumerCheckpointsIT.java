package io.streamwreck.ledger;

import io.streamwreck.core.RecordKey;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading a lease table in KCL 2.x's layout (the items KCL writes: leaseKey, checkpoint,
 * checkpointSubSequenceNumber, parentShardId) from DynamoDB Local. The fleet's real tables are read in
 * system-tests' {@code LagIsNotLossIT}.
 */
@WithLocalStack
class ConsumerCheckpointsIT {

    private static final String S0 = "shardId-000000000000";
    private static final String S1 = "shardId-000000000001";
    private static final String S2 = "shardId-000000000002";
    private static final String S3 = "shardId-000000000003";
    private static final String S4 = "shardId-000000000004";

    @Test
    void aMissingTableIsNoEvidenceAndChangesNothing(LocalStack stack) {
        ConsumerCheckpoints none = ConsumerCheckpoints.read(stack.dynamoDb(), "no-such-app-" + System.nanoTime(), "orders");

        assertThat(none.visible()).isFalse();
        assertThat(none.evidence()).startsWith("no lease table no-such-app-").endsWith("judged by the settle window alone");
        KeyStatus undelivered = new KeyStatus(RecordKey.of(S0, "5"), Classification.UNDELIVERED, 0);
        assertThat(none.judge(undelivered, false)).isEqualTo(undelivered);
    }

    @Test
    void checkpointsTellPendingFromUndelivered(LocalStack stack) {
        String table = "lease-table-" + System.nanoTime();
        stack.dynamoDb().createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("leaseKey").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("leaseKey").attributeType(ScalarAttributeType.S)));
        lease(stack, table, S1, "SHARD_END", null);
        lease(stack, table, S2, "100", null);
        lease(stack, table, S3, "TRIM_HORIZON", S1);
        lease(stack, table, S4, "200", S0);
        Map<String, AttributeValue> other = new HashMap<>();
        other.put("leaseKey", AttributeValue.fromS("123456789012:another-stream:1700000000:" + S0));
        other.put("checkpoint", AttributeValue.fromS("999"));
        stack.dynamoDb().putItem(b -> b.tableName(table).item(other));

        ConsumerCheckpoints c = ConsumerCheckpoints.read(stack.dynamoDb(), table, "orders");

        assertThat(c.visible()).isTrue();
        assertThat(c.evidence()).isEqualTo("checkpoints of 4 shards from the lease table " + table);
        // Closed and cleaned up (a child names it): fully read, so a never-delivered record was lost.
        assertThat(judge(c, S0, "5", false)).isEqualTo(Classification.UNDELIVERED);
        assertThat(judge(c, S1, "5", false)).isEqualTo(Classification.UNDELIVERED);
        // Read to 100: at or before is lost, after is lag.
        assertThat(judge(c, S2, "100", false)).isEqualTo(Classification.UNDELIVERED);
        assertThat(judge(c, S2, "99", false)).isEqualTo(Classification.UNDELIVERED);
        assertThat(judge(c, S2, "101", false)).isEqualTo(Classification.PENDING);
        // Inside a KPL aggregate: the sub-sequence number decides.
        assertThat(c.judge(new KeyStatus(RecordKey.of(S2, "100", 0), Classification.UNDELIVERED, 0), false).classification())
                .isEqualTo(Classification.UNDELIVERED);
        assertThat(c.judge(new KeyStatus(RecordKey.of(S2, "100", 1), Classification.UNDELIVERED, 0), false).classification())
                .isEqualTo(Classification.PENDING);
        // Not started yet; and a shard with no lease that nobody names as a parent (not taken up yet).
        assertThat(judge(c, S3, "1", false)).isEqualTo(Classification.PENDING);
        assertThat(judge(c, "shardId-000000000009", "1", false)).isEqualTo(Classification.PENDING);
        // ... unless the caller knows it is closed: then its lease is gone because it was read to the end.
        assertThat(judge(c, "shardId-000000000009", "1", true)).isEqualTo(Classification.UNDELIVERED);
        // Only undelivered records can be pending: skipped ones were delivered.
        assertThat(c.judge(new KeyStatus(RecordKey.of(S2, "500"), Classification.SKIPPED, 0), false).classification())
                .isEqualTo(Classification.SKIPPED);
    }

    private static Classification judge(ConsumerCheckpoints c, String shard, String seq, boolean closed) {
        return c.judge(new KeyStatus(RecordKey.of(shard, seq), Classification.UNDELIVERED, 0), closed).classification();
    }

    private static void lease(LocalStack stack, String table, String shard, String checkpoint, String parent) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("leaseKey", AttributeValue.fromS(shard));
        item.put("checkpoint", AttributeValue.fromS(checkpoint));
        item.put("checkpointSubSequenceNumber", AttributeValue.fromN("0"));
        item.put("leaseCounter", AttributeValue.fromN("3"));
        item.put("leaseOwner", AttributeValue.fromS("worker-1"));
        if (parent != null) {
            item.put("parentShardId", AttributeValue.fromSs(java.util.List.of(parent)));
        }
        stack.dynamoDb().putItem(b -> b.tableName(table).item(item));
    }
}
