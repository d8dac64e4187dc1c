package io.streamwreck.streamchecker;

import io.streamwreck.ledger.CheckpointsUnavailableException;
import io.streamwreck.ledger.ConsumerCheckpoints;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.net.URI;
import java.util.Optional;

/**
 * Where the scan learns the consumer's checkpoints: its KCL lease table (DynamoDB, named after the application
 * unless {@code --lease-table} says otherwise), read once per scan.
 */
@FunctionalInterface
interface LeaseCheckpoints {

    /** No lease table to read ({@code --lease-table none}, or no application named). */
    LeaseCheckpoints NONE = () -> ConsumerCheckpoints.none("no lease table read (--lease-table none): judged by the settle window alone");

    /**
     * @throws ScanFailedException when the table exists but cannot be read
     */
    ConsumerCheckpoints read();

    static LeaseCheckpoints none(String why) {
        return () -> ConsumerCheckpoints.none(why);
    }

    /** Reads {@code table} with a client of its own (closed after the one read), for {@code stream}'s leases. */
    static LeaseCheckpoints of(String table, String stream, Optional<URI> endpoint, Optional<String> region) {
        return () -> {
            DynamoDbClientBuilder b = DynamoDbClient.builder().httpClientBuilder(ApacheHttpClient.builder());
            endpoint.ifPresent(b::endpointOverride);
            region.ifPresent(r -> b.region(Region.of(r)));
            try (DynamoDbClient dynamoDb = b.build()) {
                return ConsumerCheckpoints.read(dynamoDb, table, stream);
            } catch (CheckpointsUnavailableException e) {
                throw new ScanFailedException(ScanFailedException.oneLine(e.getMessage())
                        + " (--lease-table none judges by the settle window alone)", e);
            }
        };
    }
}
