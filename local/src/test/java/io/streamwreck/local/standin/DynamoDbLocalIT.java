package io.streamwreck.local.standin;

import io.streamwreck.local.junit.WithLocalStack;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@WithLocalStack
class DynamoDbLocalIT {

    @Test
    void aTableCanBeCreatedWrittenAndRead(LocalStack stack) {
        DynamoDbClient dynamo = stack.dynamoDb();
        String table = "leases-" + System.nanoTime();
        dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("leaseKey").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("leaseKey").attributeType(ScalarAttributeType.S)));

        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                "leaseKey", AttributeValue.fromS("shardId-000000000001"),
                "checkpoint", AttributeValue.fromS("TRIM_HORIZON"))));
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("leaseKey", AttributeValue.fromS("shardId-000000000001")))).item();

        assertThat(item).containsEntry("checkpoint", AttributeValue.fromS("TRIM_HORIZON"));
        assertThat(dynamo.listTables().tableNames()).contains(table);
    }

    @Test
    void tablesAreSharedAcrossRegionsAndCredentialsLikeOneDatabase(LocalStack stack) {
        // KCL workers and tests build their own clients: all must see the same lease table.
        String table = "shared-" + System.nanoTime();
        stack.dynamoDb().createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("k").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("k").attributeType(ScalarAttributeType.S)));
        try (DynamoDbClient other = DynamoDbClient.builder().endpointOverride(stack.endpoints().dynamoDb())
                .region(software.amazon.awssdk.regions.Region.EU_WEST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("other", "other")))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .build()) {
            assertThat(other.listTables().tableNames()).contains(table);
        }
    }
}
