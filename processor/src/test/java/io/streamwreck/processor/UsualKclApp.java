package io.streamwreck.processor;

import io.streamwreck.processor.decorator.GatedProcessorFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.exceptions.KinesisClientLibException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A KCL 2.x application written the usual way — its own {@link ShardRecordProcessor} that does its work (here: appends
 * each record's key to a file, its ground truth for the tests) and checkpoints itself every N records — and the one
 * line that reconciles it: {@link GatedProcessorFactory#wrap}. Run as its own JVM by DecoratedKclAppIT (so it can be
 * killed with SIGKILL); SIGTERM shuts KCL down gracefully.
 *
 * <p>Arguments: stream app topicArn workerId processedFile checkpointEvery failoverMillis. Endpoints from the local
 * stack's environment ({@code AWS_ENDPOINT_URL_KINESIS}, …).
 */
public final class UsualKclApp {

    /** The application's processor: nothing in it knows about notices. */
    static final class Processor implements ShardRecordProcessor {
        private final Path processedFile;
        private final int checkpointEvery;
        private String shardId;
        private long count;

        Processor(Path processedFile, int checkpointEvery) {
            this.processedFile = processedFile;
            this.checkpointEvery = checkpointEvery;
        }

        @Override
        public void initialize(InitializationInput input) {
            shardId = input.shardId();
        }

        @Override
        public void processRecords(ProcessRecordsInput input) {
            StringBuilder done = new StringBuilder();
            RecordProcessorCheckpointer checkpointer = input.checkpointer();
            for (KinesisClientRecord r : input.records()) {
                done.append(shardId).append(':').append(r.sequenceNumber()).append('\n');
                if (++count % checkpointEvery == 0) {
                    // The work so far is durable before the checkpoint, as a careful application does it.
                    append(done);
                    done.setLength(0);
                    checkpoint(() -> checkpointer.checkpoint(r.sequenceNumber()));
                }
            }
            append(done);
        }

        private void append(CharSequence lines) {
            if (lines.isEmpty()) {
                return;
            }
            try (Writer w = Files.newBufferedWriter(processedFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                w.append(lines);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        interface Call {
            void run() throws KinesisClientLibException;
        }

        static void checkpoint(Call call) {
            try {
                call.run();
            } catch (ShutdownException e) {
                // The lease is gone: the next owner goes on from the last checkpoint.
            } catch (KinesisClientLibException e) {
                System.err.println("checkpoint failed: " + e);
            }
        }

        @Override
        public void leaseLost(LeaseLostInput input) {
        }

        @Override
        public void shardEnded(ShardEndedInput input) {
            checkpoint(() -> input.checkpointer().checkpoint());
        }

        @Override
        public void shutdownRequested(ShutdownRequestedInput input) {
            checkpoint(() -> input.checkpointer().checkpoint());
        }
    }

    private UsualKclApp() {
    }

    public static void main(String[] args) throws Exception {
        String stream = args[0];
        String app = args[1];
        String topicArn = args[2];
        String workerId = args[3];
        Path processedFile = Path.of(args[4]);
        int checkpointEvery = Integer.parseInt(args[5]);
        long failoverMillis = Long.parseLong(args[6]);

        Region region = Region.of(System.getenv("AWS_REGION"));
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY")));
        SnsAsyncClient sns = sns(region, credentials, URI.create(System.getenv("AWS_ENDPOINT_URL_SNS")));

        ShardRecordProcessorFactory usual = () -> new Processor(processedFile, checkpointEvery);
        // The one line: the application's factory, reconciled.
        GatedProcessorFactory factory = GatedProcessorFactory.wrap(usual, sns, topicArn, stream, app, workerId);

        Scheduler scheduler = scheduler(stream, app, workerId, factory, failoverMillis, region, credentials,
                URI.create(System.getenv("AWS_ENDPOINT_URL_KINESIS")), URI.create(System.getenv("AWS_ENDPOINT_URL_DYNAMODB")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                scheduler.startGracefulShutdown().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("graceful shutdown did not finish: " + e);
            }
            factory.close();
        }));
        scheduler.run();
    }

    /** The SNS client a publisher wants: it retries on its own, so one attempt per call, abandoned after 5 s (an SNS that hangs). */
    static SnsAsyncClient sns(Region region, AwsCredentialsProvider credentials, URI endpoint) {
        RetryStrategy noRetries = AwsRetryStrategy.doNotRetry();
        return SnsAsyncClient.builder().region(region).credentialsProvider(credentials).endpointOverride(endpoint)
                .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(5))
                        .retryStrategy(noRetries).build()).build();
    }

    /**
     * A KCL Scheduler configured the usual way (polling, TRIM_HORIZON, no metrics) around {@code factory}, with its
     * own clients; the benchmark builds the same application with and without the decorator.
     */
    static Scheduler scheduler(String stream, String app, String workerId, ShardRecordProcessorFactory factory, long failoverMillis,
                               Region region, AwsCredentialsProvider credentials, URI kinesisEndpoint, URI dynamoDbEndpoint) {
        KinesisAsyncClient kinesis = KinesisAsyncClient.builder().region(region).credentialsProvider(credentials)
                .endpointOverride(kinesisEndpoint)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)).build();
        DynamoDbAsyncClient dynamo = DynamoDbAsyncClient.builder().region(region).credentialsProvider(credentials)
                .endpointOverride(dynamoDbEndpoint).build();
        CloudWatchAsyncClient cloudWatch = CloudWatchAsyncClient.builder().region(region).credentialsProvider(credentials)
                .endpointOverride(URI.create("http://127.0.0.1:9")).build();
        ConfigsBuilder configs = new ConfigsBuilder(stream, app, kinesis, dynamo, cloudWatch, workerId, factory);
        return new Scheduler(
                configs.checkpointConfig(),
                configs.coordinatorConfig().parentShardPollIntervalMillis(500).schedulerInitializationBackoffTimeMillis(500),
                configs.leaseManagementConfig().failoverTimeMillis(failoverMillis).shardSyncIntervalMillis(1000)
                        .initialPositionInStream(InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON)),
                configs.lifecycleConfig(),
                configs.metricsConfig().metricsLevel(MetricsLevel.NONE).metricsFactory(new NullMetricsFactory()),
                configs.processorConfig(),
                configs.retrievalConfig()
                        .initialPositionInStreamExtended(InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON))
                        .retrievalSpecificConfig(new PollingConfig(stream, kinesis).idleTimeBetweenReadsInMillis(200)));
    }
}
