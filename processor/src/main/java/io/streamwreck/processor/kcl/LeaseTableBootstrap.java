package io.streamwreck.processor.kcl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.kinesis.common.InitialPositionInStream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * Creates the first leases of a new application, the way KCL itself would, so the first worker starts at once:
 * KCL 2.x waits a random 1–30 s before its first shard sync when it finds the lease table empty (to let one of
 * several starting workers do it). Done only when it is unambiguous — table missing or empty, initial position
 * TRIM_HORIZON or LATEST, and no shard has a parent in the stream (no reshard lineage to respect) — and with
 * conditional writes, so two workers starting together, or KCL itself, can never be overwritten. Otherwise KCL
 * does its own sync.
 */
public final class LeaseTableBootstrap {

    private static final Logger log = LoggerFactory.getLogger(LeaseTableBootstrap.class);

    private final DynamoDbAsyncClient dynamo;
    private final KinesisAsyncClient kinesis;

    public LeaseTableBootstrap(DynamoDbAsyncClient dynamo, KinesisAsyncClient kinesis) {
        this.dynamo = dynamo;
        this.kinesis = kinesis;
    }

    /** @return how many leases were created (0 when KCL is left to do it) */
    public int seed(String table, String stream, InitialPositionInStream position) {
        if (position == InitialPositionInStream.AT_TIMESTAMP) {
            return 0;
        }
        try {
            ensureTable(table);
            if (!dynamo.scan(b -> b.tableName(table).limit(1).consistentRead(true)).join().items().isEmpty()) {
                return 0;
            }
            List<Shard> shards = listShards(stream);
            Set<String> ids = new HashSet<>();
            shards.forEach(s -> ids.add(s.shardId()));
            for (Shard s : shards) {
                if ((s.parentShardId() != null && ids.contains(s.parentShardId()))
                        || (s.adjacentParentShardId() != null && ids.contains(s.adjacentParentShardId()))) {
                    return 0;
                }
            }
            int created = 0;
            for (Shard s : shards) {
                if (putLease(table, s, position.name())) {
                    created++;
                }
            }
            log.info("created {} leases in the new lease table {} (checkpoint {})", created, table, position);
            return created;
        } catch (CompletionException e) {
            // Seeding is an optimisation: whatever went wrong, KCL's own shard sync still creates the leases.
            log.info("lease table not pre-seeded ({}); KCL creates the leases itself", e.getCause() == null ? e : e.getCause().toString());
            return 0;
        }
    }

    private void ensureTable(String table) {
        try {
            dynamo.describeTable(b -> b.tableName(table)).join();
            return;
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof ResourceNotFoundException)) {
                throw e;
            }
        }
        try {
            dynamo.createTable(CreateTableRequest.builder().tableName(table)
                    .keySchema(KeySchemaElement.builder().attributeName("leaseKey").keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("leaseKey").attributeType(ScalarAttributeType.S).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST).build()).join();
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof ResourceInUseException)) {
                throw e;
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (dynamo.describeTable(b -> b.tableName(table)).join().table().tableStatus() != TableStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new CompletionException(new IllegalStateException("lease table " + table + " not ACTIVE after 60 s"));
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    private List<Shard> listShards(String stream) {
        List<Shard> shards = new ArrayList<>();
        String next = null;
        do {
            ListShardsRequest request = next == null
                    ? ListShardsRequest.builder().streamName(stream).build()
                    : ListShardsRequest.builder().nextToken(next).build();
            ListShardsResponse response = kinesis.listShards(request).join();
            shards.addAll(response.shards());
            next = response.nextToken();
        } while (next != null);
        return shards;
    }

    /** A lease in KCL 2.x's item format, unowned, at the initial position; false when one exists already. */
    private boolean putLease(String table, Shard shard, String checkpoint) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(
                            "leaseKey", AttributeValue.fromS(shard.shardId()),
                            "startingHashKey", AttributeValue.fromS(shard.hashKeyRange().startingHashKey()),
                            "endingHashKey", AttributeValue.fromS(shard.hashKeyRange().endingHashKey()),
                            "leaseCounter", AttributeValue.fromN("0"),
                            "checkpoint", AttributeValue.fromS(checkpoint),
                            "checkpointSubSequenceNumber", AttributeValue.fromN("0"),
                            "ownerSwitchesSinceCheckpoint", AttributeValue.fromN("0")))
                    .conditionExpression("attribute_not_exists(leaseKey)")).join();
            return true;
        } catch (CompletionException e) {
            if (e.getCause() instanceof ConditionalCheckFailedException) {
                return false;
            }
            throw e;
        }
    }
}
