package io.streamwreck.local.system;

import io.streamwreck.local.standin.LocalStack;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a KCL application's lease table (DynamoDB, named after the application) as it is now: which worker holds
 * each shard and where it has checkpointed. For tests and readiness waits on the local stack.
 */
public final class LeaseTable {

    /** One row: which worker holds the shard (null: nobody) and where it has checkpointed. */
    public record Lease(String shardId, String owner, String checkpoint) {
    }

    private final LocalStack stack;
    private final String table;

    public LeaseTable(LocalStack stack, String app) {
        this.stack = stack;
        this.table = app;
    }

    /** Shard id → lease; empty while KCL has not created the table. */
    public Map<String, Lease> leases() {
        Map<String, Lease> leases = new TreeMap<>();
        try {
            for (Map<String, AttributeValue> item : stack.dynamoDb().scan(b -> b.tableName(table).consistentRead(true)).items()) {
                String shard = item.get("leaseKey").s();
                leases.put(shard, new Lease(shard, text(item.get("leaseOwner")), text(item.get("checkpoint"))));
            }
        } catch (ResourceNotFoundException e) {
            // KCL has not created it yet.
        }
        return leases;
    }

    /** Shard id → checkpoint. */
    public Map<String, String> checkpoints() {
        Map<String, String> out = new TreeMap<>();
        leases().forEach((shard, lease) -> out.put(shard, lease.checkpoint()));
        return out;
    }

    private static String text(AttributeValue v) {
        return v == null ? null : v.s();
    }
}
