package io.streamwreck.producer;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The asynchronous (Netty) Kinesis client a {@link KinesisWriter} works best with, and the threads it runs on:
 * <ul>
 *   <li>HTTP/1.1 with one connection per call in flight. The SDK's Kinesis client defaults to HTTP/2 (for
 *       SubscribeToShard), which multiplexes every call over one connection: one stalled response then stalls
 *       every call, and they all time out together. PutRecords gains nothing from HTTP/2.</li>
 *   <li>The SDK's own retries off: the writer retries itself — per entry, within each record's deadline — and a
 *       second layer of retries would only stretch the time before a record fails.</li>
 *   <li>A fast {@link #close()}: the SDK shuts its Netty threads down with a two-second quiet period, which every
 *       run of a command-line tool would pay; this client owns its threads and gives them a tenth of that (close
 *       it after the writer, when no call is in flight).</li>
 * </ul>
 */
public final class WriterClient implements AutoCloseable {

    private static final long QUIET_MILLIS = 100;

    private final KinesisAsyncClient kinesis;
    private final SdkEventLoopGroup eventLoops;

    private WriterClient(KinesisAsyncClient kinesis, SdkEventLoopGroup eventLoops) {
        this.kinesis = kinesis;
        this.eventLoops = eventLoops;
    }

    /**
     * @param endpoint    an endpoint override (a local stand-in), or empty for the region's Kinesis
     * @param region      the region, or empty for the SDK's default chain (AWS_REGION, profile, …)
     * @param connections HTTP connections, at least {@link WriterSettings#maxCallsInFlight()}
     * @param customize   further settings (credentials, interceptors); the SDK's retries stay off whatever it sets
     */
    public static WriterClient create(Optional<URI> endpoint, Optional<String> region, int connections,
                                      Consumer<KinesisAsyncClientBuilder> customize) {
        SdkEventLoopGroup eventLoops = SdkEventLoopGroup.builder().build();
        try {
            KinesisAsyncClientBuilder builder = KinesisAsyncClient.builder()
                    .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                            .eventLoopGroup(eventLoops)
                            .protocol(Protocol.HTTP1_1)
                            .maxConcurrency(connections)
                            .connectionTimeout(Duration.ofSeconds(5))
                            // With connections >= calls in flight a call never queues for one; its own time-out bounds it anyway.
                            .connectionAcquisitionTimeout(Duration.ofSeconds(30)));
            endpoint.ifPresent(builder::endpointOverride);
            region.map(Region::of).ifPresent(builder::region);
            customize.accept(builder);
            // Setting an override configuration replaces the previous one: merge ours into whatever customize set.
            builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                    .retryStrategy(AwsRetryStrategy.doNotRetry()).build());
            return new WriterClient(builder.build(), eventLoops);
        } catch (RuntimeException e) {
            eventLoops.eventLoopGroup().shutdownGracefully(0, QUIET_MILLIS, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    public KinesisAsyncClient kinesis() {
        return kinesis;
    }

    /** Closes the client, then stops its threads after a short quiet period. */
    @Override
    public void close() {
        try {
            kinesis.close();
        } finally {
            // The quiet period lets the closing connections' last notifications run instead of being rejected.
            eventLoops.eventLoopGroup().shutdownGracefully(QUIET_MILLIS, 2_000, TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }
}
