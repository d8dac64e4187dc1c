package io.streamwreck.checker;

import io.streamwreck.core.config.StreamwreckConfig;
import io.streamwreck.ledger.ConsumerCheckpoints;
import io.streamwreck.ledger.Scope;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.time.Duration;

/**
 * Reads the checkpoints of a request's application from its KCL lease table (named after the application), once
 * per request. The DynamoDB client is built on the first request that needs it, not at init: the cold start
 * stays what it was, and a function that never reads a lease table never loads the SDK.
 */
final class LeaseTableReader implements AutoCloseable {

    /** Well inside API Gateway's 29 s: a lease table answers in milliseconds. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final StreamwreckConfig config;
    private volatile DynamoDbClient client;

    private LeaseTableReader(StreamwreckConfig config) {
        this.config = config;
    }

    /**
     * DynamoDB in AWS_REGION (or AWS_ENDPOINT_URL_DYNAMODB for a stand-in), credentials from the function's role.
     * Without either (never on Lambda, which always sets AWS_REGION) there is no DynamoDB to ask: {@link #none()}.
     */
    static LeaseTableReader of(StreamwreckConfig config) {
        if (config.region().isEmpty() && config.endpoint(StreamwreckConfig.Service.DYNAMODB).isEmpty()) {
            return none();
        }
        return new LeaseTableReader(config);
    }

    /** No lease tables at all: every judgement by the settle window alone (tests that only want the ledger). */
    static LeaseTableReader none() {
        return new LeaseTableReader(null);
    }

    /**
     * @throws io.streamwreck.ledger.CheckpointsUnavailableException when DynamoDB does not answer
     */
    ConsumerCheckpoints read(Scope scope) {
        if (config == null) {
            return ConsumerCheckpoints.none("no lease tables are read by this checker (no AWS_REGION or "
                    + "AWS_ENDPOINT_URL_DYNAMODB): judged by the settle window alone");
        }
        return ConsumerCheckpoints.read(client(), scope.app(), scope.stream());
    }

    private DynamoDbClient client() {
        DynamoDbClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    DynamoDbClientBuilder b = DynamoDbClient.builder()
                            .httpClientBuilder(UrlConnectionHttpClient.builder())
                            .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(CALL_TIMEOUT).build());
                    // A stand-in endpoint without a region: any region signs, DynamoDB Local accepts them all.
                    b.region(Region.of(config.region().orElse("us-east-1")));
                    config.endpoint(StreamwreckConfig.Service.DYNAMODB).ifPresent(b::endpointOverride);
                    c = b.build();
                    client = c;
                }
            }
        }
        return c;
    }

    @Override
    public void close() {
        DynamoDbClient c = client;
        if (c != null) {
            c.close();
        }
    }
}
