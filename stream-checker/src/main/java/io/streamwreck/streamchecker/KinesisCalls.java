package io.streamwreck.streamchecker;

import io.streamwreck.core.retry.Backoff;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The Kinesis calls a scan makes, with the retries it needs and errors that say what failed:
 * <ul>
 *   <li>throttling (ProvisionedThroughputExceeded, LimitExceeded, KMS throttling) — other consumers share each
 *       shard's read limit — is retried with backoff for up to about two minutes;</li>
 *   <li>network failures and 5xx answers are retried a few times;</li>
 *   <li>an unknown stream or any other refusal ends the scan with one line ({@link ScanFailedException});</li>
 *   <li>ExpiredIterator goes to the caller, who knows where to resume.</li>
 * </ul>
 * The SDK's own retries are off so that these are the only ones (two layers would multiply the waits).
 * Synchronous Apache client: each shard's reader is one thread blocked in its call, with a connection each.
 */
final class KinesisCalls implements AutoCloseable {

    /** The most records one GetRecords call may return. */
    static final int MAX_RECORDS_PER_CALL = 10_000;
    private static final int THROTTLED_ATTEMPTS = 30;
    private static final int FAILED_ATTEMPTS = 5;

    private final KinesisClient kinesis;
    private final String where;
    private final Backoff throttleBackoff = Backoff.of(Duration.ofMillis(200), Duration.ofSeconds(5)).withFloor(Duration.ofMillis(100));
    private final Backoff failureBackoff = Backoff.of(Duration.ofMillis(200), Duration.ofSeconds(2)).withFloor(Duration.ofMillis(100));

    /** Package-private for tests that hand in a client of their own. */
    KinesisCalls(KinesisClient kinesis, String where) {
        this.kinesis = kinesis;
        this.where = where;
    }

    /**
     * @param endpoint    an endpoint override (a local stand-in), or empty for the region's Kinesis
     * @param region      the region, or empty for the SDK's default chain
     * @param connections HTTP connections: one per shard read at once, plus one for listing
     */
    static KinesisCalls create(Optional<URI> endpoint, Optional<String> region, int connections) {
        KinesisClientBuilder builder = KinesisClient.builder()
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(connections)
                        .connectionTimeout(Duration.ofSeconds(5))
                        // A GetRecords answer of 10,000 records (up to 10 MB) still arrives well inside this.
                        .socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
        endpoint.ifPresent(builder::endpointOverride);
        region.map(Region::of).ifPresent(builder::region);
        String where = endpoint.map(e -> "Kinesis at " + e)
                .orElseGet(() -> "Kinesis in " + region.orElse("the default region"));
        try {
            return new KinesisCalls(builder.build(), where);
        } catch (SdkClientException e) {
            // No region anywhere (flag, AWS_REGION, profile): the SDK's message names the ways to set one.
            throw new ScanFailedException("cannot set up the Kinesis client: " + ScanFailedException.rootMessage(e)
                    + " (set --region or AWS_REGION)", e);
        }
    }

    /** Every shard of the stream, open and closed (those still in retention), following ListShards' pages. */
    List<Shard> listShards(String stream) throws InterruptedException {
        List<Shard> shards = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            // With a NextToken the request must not name the stream.
            ListShardsResponse page = call("ListShards of stream " + stream, () -> token == null
                    ? kinesis.listShards(b -> b.streamName(stream))
                    : kinesis.listShards(b -> b.nextToken(token)));
            shards.addAll(page.shards());
            next = page.nextToken();
        } while (next != null);
        return shards;
    }

    String shardIterator(String stream, String shardId, Consumer<GetShardIteratorRequest.Builder> position)
            throws InterruptedException {
        return call("GetShardIterator of " + shardId, () -> kinesis.getShardIterator(b -> {
            b.streamName(stream).shardId(shardId);
            position.accept(b);
        })).shardIterator();
    }

    /**
     * One GetRecords call with the largest batch Kinesis allows.
     *
     * @throws ExpiredIteratorException when the iterator is older than five minutes: get a new one
     */
    GetRecordsResponse getRecords(String shardId, String iterator) throws InterruptedException {
        return call("GetRecords of " + shardId, () -> kinesis.getRecords(b -> b.shardIterator(iterator).limit(MAX_RECORDS_PER_CALL)));
    }

    String where() {
        return where;
    }

    private <T> T call(String what, Supplier<T> request) throws InterruptedException {
        int throttled = 0;
        int failed = 0;
        while (true) {
            try {
                return request.get();
            } catch (ExpiredIteratorException e) {
                throw e;
            } catch (ProvisionedThroughputExceededException | LimitExceededException | KmsThrottlingException e) {
                if (++throttled >= THROTTLED_ATTEMPTS) {
                    throw new ScanFailedException(what + " was throttled " + throttled + " times in a row by " + where
                            + ": " + message(e), e);
                }
                throttleBackoff.sleep(throttled);
            } catch (ResourceNotFoundException e) {
                throw new ScanFailedException(what + ": " + message(e) + " (" + where + ")", e);
            } catch (AwsServiceException e) {
                if (e.statusCode() < 500 || ++failed >= FAILED_ATTEMPTS) {
                    throw new ScanFailedException(what + " failed: " + where + " answered " + e.statusCode()
                            + errorCode(e) + ": " + message(e), e);
                }
                failureBackoff.sleep(failed);
            } catch (SdkClientException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted during " + what);
                }
                if (++failed >= FAILED_ATTEMPTS) {
                    throw new ScanFailedException("cannot reach " + where + " (" + what + " failed " + failed + " times): "
                            + ScanFailedException.rootMessage(e), e);
                }
                failureBackoff.sleep(failed);
            }
        }
    }

    /** " Code" when the service named an error code; nothing when it did not (an unparsable or empty answer). */
    private static String errorCode(AwsServiceException e) {
        if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                && !e.awsErrorDetails().errorCode().isBlank()) {
            return " " + ScanFailedException.oneLine(e.awsErrorDetails().errorCode());
        }
        return "";
    }

    /** The service's own message, without the SDK's "(Service: Kinesis, Status Code: …)" suffix. */
    private static String message(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorMessage() != null) {
            return ScanFailedException.oneLine(service.awsErrorDetails().errorMessage());
        }
        return ScanFailedException.rootMessage(e);
    }

    @Override
    public void close() {
        kinesis.close();
    }
}
