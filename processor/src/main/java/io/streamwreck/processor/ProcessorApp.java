package io.streamwreck.processor;

import io.streamwreck.processor.handler.RecordHandler;
import io.streamwreck.processor.kcl.LeaseTableBootstrap;
import io.streamwreck.processor.kcl.ProcessorCounters;
import io.streamwreck.processor.kcl.ShardHashRangeHandOff;
import io.streamwreck.processor.kcl.ShardProcessorFactory;
import io.streamwreck.processor.publish.DiscardingNoticePublisher;
import io.streamwreck.publish.NoticeFactory;
import io.streamwreck.publish.NoticePublisher;
import io.streamwreck.publish.PublisherStats;
import io.streamwreck.publish.SnsNoticePublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.SnsAsyncClientBuilder;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.retrieval.fanout.FanOutConfig;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One worker of the fleet: the KCL {@link Scheduler} around {@link ShardProcessorFactory}, its AWS clients, the
 * notice publisher and the audit log. {@link #run()} blocks until {@link #shutdown()}; shutdown is graceful
 * (every shard publishes what it handled and checkpoints it).
 */
public final class ProcessorApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProcessorApp.class);
    /** Long enough for KCL's own shutdown (every shard publishes and checkpoints), short of orchestrators' kill timers. */
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);

    private final ProcessorSettings settings;
    private final RecordHandler handler;
    private final KinesisAsyncClient kinesis;
    private final DynamoDbAsyncClient dynamo;
    private final CloudWatchAsyncClient cloudWatch;
    private final SnsAsyncClient sns;
    private final NoticePublisher publisher;
    private final AuditLog audit;
    private final ProcessorCounters counters = new ProcessorCounters();
    private final Scheduler scheduler;
    private final ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "processor-progress");
        t.setDaemon(true);
        return t;
    });

    /** The shard this worker gave up on (a batch it could not report for --report-timeout), if any. */
    private volatile String gaveUpOn;

    /**
     * @throws java.io.UncheckedIOException when the audit log cannot be opened (nothing was started then)
     */
    public ProcessorApp(ProcessorSettings settings, RecordHandler handler) {
        this(settings, handler, AwsClients::create);
    }

    /** With the AWS clients from {@code clients}: whatever this constructor built is closed again when it fails. */
    ProcessorApp(ProcessorSettings settings, RecordHandler handler, Function<ProcessorSettings, AwsClients> clients) {
        this.settings = settings;
        this.handler = handler;
        // The audit log first: it is what may fail to open (a bad path), before any client or thread exists.
        this.audit = settings.auditLog().map(p -> AuditLog.open(p, settings.workerId())).orElse(AuditLog.none());
        AwsClients aws = null;
        NoticePublisher built = null;
        try {
            aws = clients.apply(settings);
            this.kinesis = aws.kinesis();
            this.dynamo = aws.dynamo();
            this.cloudWatch = aws.cloudWatch();
            this.sns = aws.sns();
            // After a graceful shutdown everything is published; the drain only covers leaseLost leftovers. Shutdown
            // (20 s) plus drain stays under the 30 s that orchestrators (ECS, make down) give after SIGTERM.
            built = settings.discardNotices()
                    ? new DiscardingNoticePublisher()
                    : new SnsNoticePublisher(sns, settings.topicArn(), settings.publishLinger(), Duration.ofSeconds(5));
            this.publisher = built;
            this.scheduler = scheduler();
        } catch (RuntimeException | Error e) {
            closeQuietly(built, e);
            closeQuietly(aws, e);
            closeQuietly(audit, e);
            progress.shutdownNow();
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable c, Throwable failure) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception | Error e) {
            failure.addSuppressed(e);
        }
    }

    /** The worker's AWS clients, closed together. */
    record AwsClients(KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamo, CloudWatchAsyncClient cloudWatch,
                      SnsAsyncClient sns) implements AutoCloseable {

        static AwsClients create(ProcessorSettings settings) {
            List<AutoCloseable> built = new ArrayList<>();
            try {
                KinesisAsyncClient kinesis = add(built, kinesisClient(settings));
                DynamoDbAsyncClient dynamo = add(built,
                        configure(DynamoDbAsyncClient.builder(), settings.dynamoDbEndpoint(), settings.region()).build());
                CloudWatchAsyncClient cloudWatch = add(built, cloudWatchClient(settings));
                SnsAsyncClientBuilder snsBuilder = configure(SnsAsyncClient.builder(), settings.snsEndpoint(), settings.region());
                // The publisher retries forever with its own backoff, so the SDK's retries are off; a hung call is
                // abandoned after 5 s rather than the HTTP client's 30 s read timeout. A retried notice that did land
                // is harmless: notice ids make recording idempotent.
                SnsAsyncClient sns = add(built, snsBuilder.overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallAttemptTimeout(Duration.ofSeconds(5)).apiCallTimeout(Duration.ofSeconds(5))
                        .retryStrategy(AwsRetryStrategy.doNotRetry()).build()).build());
                return new AwsClients(kinesis, dynamo, cloudWatch, sns);
            } catch (RuntimeException | Error e) {
                for (AutoCloseable c : built) {
                    closeQuietly(c, e);
                }
                throw e;
            }
        }

        private static <C extends AutoCloseable> C add(List<AutoCloseable> built, C client) {
            built.add(client);
            return client;
        }

        @Override
        public void close() {
            RuntimeException failure = null;
            for (AutoCloseable c : new AutoCloseable[]{kinesis, dynamo, cloudWatch, sns}) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (Exception e) {
                    if (failure == null) {
                        failure = new IllegalStateException("closing the AWS clients failed", e);
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private Scheduler scheduler() {
        ShardProcessorFactory factory = new ShardProcessorFactory(handler,
                new NoticeFactory(settings.stream(), settings.app(), settings.workerId()), publisher, audit, counters,
                settings.maxPendingBatches(), settings.checkpointInterval(), settings.kplDeaggregation(),
                settings.reportTimeout(), this::giveUp);
        ConfigsBuilder configs = new ConfigsBuilder(settings.stream(), settings.app(), kinesis, dynamo, cloudWatch,
                settings.workerId(), factory);
        var retrieval = configs.retrievalConfig().initialPositionInStreamExtended(settings.initialPosition().toKcl());
        if (settings.retrieval() == ProcessorSettings.Retrieval.FANOUT) {
            retrieval.retrievalSpecificConfig(new FanOutConfig(kinesis).streamName(settings.stream()).applicationName(settings.app()));
        } else {
            retrieval.retrievalSpecificConfig(new PollingConfig(settings.stream(), kinesis)
                    .maxRecords(settings.maxRecords())
                    .idleTimeBetweenReadsInMillis(settings.pollInterval().toMillis()));
        }
        var metrics = configs.metricsConfig().metricsLevel(settings.metrics());
        if (settings.metrics() == MetricsLevel.NONE) {
            metrics.metricsFactory(new NullMetricsFactory());
        }
        return new Scheduler(
                configs.checkpointConfig(),
                configs.coordinatorConfig()
                        .parentShardPollIntervalMillis(500)
                        .shardConsumerDispatchPollIntervalMillis(200)
                        .schedulerInitializationBackoffTimeMillis(500),
                configs.leaseManagementConfig()
                        .failoverTimeMillis(settings.failoverTime().toMillis())
                        .shardSyncIntervalMillis(settings.shardSyncInterval().toMillis())
                        .initialPositionInStream(settings.initialPosition().toKcl()),
                // Every aggregate de-aggregated in full, the shard's hash-key range handed to the ShardProcessor: it
                // applies KCL's rule itself and accounts for what it drops (see ShardHashRangeHandOff).
                configs.lifecycleConfig().aggregatorUtil(new ShardHashRangeHandOff()),
                metrics,
                // Empty calls let a shard checkpoint notices confirmed after its last batch (see ShardProcessor).
                configs.processorConfig().callProcessRecordsEvenForEmptyRecordList(true),
                retrieval);
    }

    /** Runs the worker until {@link #shutdown()} (or a fatal KCL error). */
    public void run() {
        log.info("worker {} starting: stream {}, application {}, {} retrieval, initial position {} (used only for shards without a lease)",
                settings.workerId(), settings.stream(), settings.app(), settings.retrieval().name().toLowerCase(),
                settings.initialPosition());
        new LeaseTableBootstrap(dynamo, kinesis).seed(settings.app(), settings.stream(), settings.initialPosition().kind());
        long every = settings.progressInterval().toMillis();
        progress.scheduleAtFixedRate(this::logProgress, every, every, TimeUnit.MILLISECONDS);
        scheduler.run();
    }

    /**
     * A shard could not report a batch for --report-timeout: the worker stops (gracefully: the other shards publish
     * and checkpoint) so that its leases expire and another worker takes them from their checkpoints. Called on the
     * shard's KCL thread, which must return for the shutdown to finish: the shutdown runs on its own thread.
     */
    private void giveUp(String shardId) {
        synchronized (this) {
            if (gaveUpOn != null) {
                return;
            }
            gaveUpOn = shardId;
        }
        Thread stopper = new Thread(() -> {
            if (!shutdown()) {
                // The graceful shutdown did not finish in time: stop anyway, run() must return for the exit.
                scheduler.shutdown();
            }
        }, "processor-give-up");
        stopper.setDaemon(true);
        stopper.start();
    }

    /** The shard this worker gave up on, when it stopped for that reason (see --report-timeout). */
    public Optional<String> gaveUpOn() {
        return Optional.ofNullable(gaveUpOn);
    }

    /** One line an operator can follow: is the worker reading, reporting and checkpointing? */
    private void logProgress() {
        PublisherStats p = publisher.stats();
        log.info("progress: {} records received, {} handled, {} failed, in {} batches; {} notices published in {} SNS calls "
                        + "({} attempts retried); {} checkpoints; {} KPL aggregates dropped ({} user records undelivered)",
                counters.received(), counters.completed(), counters.failed(), counters.batches(), p.notices(), p.calls(),
                p.failedAttempts(), counters.checkpoints(), counters.droppedAggregates(), counters.droppedUserRecords());
    }

    /** Graceful shutdown: every shard publishes and checkpoints, then the worker stops. */
    public boolean shutdown() {
        try {
            return scheduler.startGracefulShutdown().get(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            log.warn("graceful shutdown did not finish: {}", e.toString());
            return false;
        }
    }

    public ProcessorCounters counters() {
        return counters;
    }

    public NoticePublisher publisher() {
        return publisher;
    }

    @Override
    public void close() {
        progress.shutdownNow();
        try {
            publisher.close();
        } finally {
            try {
                handler.close();
            } finally {
                try {
                    audit.close();
                } finally {
                    kinesis.close();
                    dynamo.close();
                    cloudWatch.close();
                    sns.close();
                }
            }
        }
    }

    private static KinesisAsyncClient kinesisClient(ProcessorSettings settings) {
        // Fan-out needs HTTP/2 (SubscribeToShard); polling is better off with HTTP/1.1, where one stalled
        // response cannot stall every shard's GetRecords on a shared connection.
        Protocol protocol = settings.retrieval() == ProcessorSettings.Retrieval.FANOUT ? Protocol.HTTP2 : Protocol.HTTP1_1;
        KinesisAsyncClientBuilder builder = KinesisAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(protocol).maxConcurrency(Integer.MAX_VALUE));
        return configure(builder, settings.kinesisEndpoint(), settings.region()).build();
    }

    private static CloudWatchAsyncClient cloudWatchClient(ProcessorSettings settings) {
        CloudWatchAsyncClientBuilder builder = CloudWatchAsyncClient.builder();
        Optional<URI> endpoint = settings.cloudWatchEndpoint();
        if (endpoint.isEmpty() && settings.metrics() == MetricsLevel.NONE && settings.kinesisEndpoint().isPresent()) {
            // KCL insists on a client even with metrics off; on a local stack there is no CloudWatch to point it at,
            // and NullMetricsFactory never calls it.
            endpoint = Optional.of(URI.create("http://127.0.0.1:9"));
        }
        return configure(builder, endpoint, settings.region()).build();
    }

    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>> B configure(
            B builder, Optional<URI> endpoint, Optional<String> region) {
        endpoint.ifPresent(builder::endpointOverride);
        region.map(Region::of).ifPresent(builder::region);
        builder.overrideConfiguration(ClientOverrideConfiguration.builder().build());
        return builder;
    }
}
