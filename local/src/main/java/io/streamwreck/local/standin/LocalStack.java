package io.streamwreck.local.standin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The local stand-ins for AWS, all on 127.0.0.1 and free ports: kinesis-local, DynamoDB Local, Redis and moto
 * (SNS and SQS). {@link #start(Path)} launches them in parallel and returns once each has answered a real
 * request; {@link #close()} stops them all. A JVM shutdown hook closes the stack if its owner did not, and
 * server processes die with the JVM even on {@code kill -9} (see {@link TetheredProcess}).
 *
 * <p>Every server's output goes to {@code <stateDir>/logs/<server>.log}.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(30);

    private final KinesisLocal kinesisLocal;
    private final DynamoDbLocal dynamoDbLocal;
    private final RedisServer redisServer;
    private final MotoServer motoServer;
    private final Path stateDir;
    private final Duration readyTime;
    private final LocalEndpoints endpoints;
    private final Thread shutdownHook;
    private final Object lock = new Object();
    private KinesisClient kinesis;
    private DynamoDbClient dynamoDb;
    private SnsClient sns;
    private SqsClient sqs;
    private RedisCluster redisCluster;
    private PostgresServer postgres;
    private boolean closed;

    private LocalStack(KinesisLocal kinesisLocal, DynamoDbLocal dynamoDbLocal, RedisServer redisServer,
                       MotoServer motoServer, Path stateDir, Duration readyTime) {
        this.kinesisLocal = kinesisLocal;
        this.dynamoDbLocal = dynamoDbLocal;
        this.redisServer = redisServer;
        this.motoServer = motoServer;
        this.stateDir = stateDir;
        this.readyTime = readyTime;
        this.endpoints = new LocalEndpoints(kinesisLocal.endpoint(), dynamoDbLocal.endpoint(), motoServer.endpoint(),
                motoServer.endpoint(), redisServer.endpoint());
        this.shutdownHook = new Thread(this::close, "streamwreck-local-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts every stand-in and waits until each answers.
     *
     * @param stateDir where logs go (created if missing), usually under the build directory
     * @throws LocalStackException naming the stand-in that failed, with the end of its log; the ones that did
     *                             start are stopped again
     */
    public static LocalStack start(Path stateDir) {
        Path logDir = stateDir.resolve("logs");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + logDir, e);
        }
        long began = System.nanoTime();
        CompletableFuture<KinesisLocal> kinesis = launch(() -> KinesisLocal.start(logDir));
        CompletableFuture<DynamoDbLocal> dynamo = launch(() -> DynamoDbLocal.start(logDir));
        CompletableFuture<RedisServer> redis = launch(() -> RedisServer.start(logDir));
        CompletableFuture<MotoServer> moto = launch(() -> MotoServer.start(logDir));
        List<CompletableFuture<? extends StandIn>> all = List.of(kinesis, dynamo, redis, moto);
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            all.forEach(f -> f.thenAccept(StandIn::close));
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new LocalStackException("the local stack failed to start: " + cause, cause);
        }
        LocalStack stack = new LocalStack(kinesis.join(), dynamo.join(), redis.join(), moto.join(), stateDir,
                Duration.ofNanos(System.nanoTime() - began));
        log.info("local stack ready in {} ms: {}", stack.readyTime.toMillis(), stack.endpoints);
        return stack;
    }

    private static <T extends StandIn> CompletableFuture<T> launch(Supplier<T> start) {
        CompletableFuture<T> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                future.complete(start.get());
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        }, "streamwreck-local-stack-start");
        thread.setDaemon(true);
        thread.start();
        return future;
    }

    public LocalEndpoints endpoints() {
        return endpoints;
    }

    public Path logDir() {
        return stateDir.resolve("logs");
    }

    /** From the first launch until every stand-in answered (they start in parallel). */
    public Duration readyTime() {
        return readyTime;
    }

    /** Each stand-in's own time from launch to its first answer, by name. */
    public Map<String, Duration> startupTimes() {
        Map<String, Duration> times = new LinkedHashMap<>();
        for (StandIn s : standIns()) {
            times.put(s.name(), s.startupTime());
        }
        return times;
    }

    /** Process ids of the server processes (DynamoDB Local runs inside this JVM and has none). */
    public Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put(kinesisLocal.name(), kinesisLocal.process().pid());
        pids.put(redisServer.name(), redisServer.process().pid());
        pids.put(motoServer.name(), motoServer.process().pid());
        return pids;
    }

    /** Freezes Redis with SIGSTOP, as a hung or unreachable cache would be (fault tests); {@link #resumeRedis()} undoes it. */
    public void pauseRedis() {
        redisServer.process().pause();
    }

    /** SIGCONT after {@link #pauseRedis()}. */
    public void resumeRedis() {
        redisServer.process().resume();
    }

    /** Freezes moto (SNS and SQS) with SIGSTOP (fault tests); {@link #resumeMoto()} undoes it. */
    public void pauseMoto() {
        motoServer.process().pause();
    }

    /** SIGCONT after {@link #pauseMoto()}. */
    public void resumeMoto() {
        motoServer.process().resume();
    }

    /** Freezes kinesis-local with SIGSTOP, as a Kinesis endpoint that stops answering would be (fault tests); {@link #resumeKinesis()} undoes it. */
    public void pauseKinesis() {
        kinesisLocal.process().pause();
    }

    /** SIGCONT after {@link #pauseKinesis()}. */
    public void resumeKinesis() {
        kinesisLocal.process().resume();
    }

    /** A shared Kinesis client for this stack; closed with it. */
    public KinesisClient kinesis() {
        synchronized (lock) {
            if (kinesis == null) {
                kinesis = AwsClients.kinesis(endpoints.kinesis());
            }
            return kinesis;
        }
    }

    /** A shared DynamoDB client for this stack; closed with it. */
    public DynamoDbClient dynamoDb() {
        synchronized (lock) {
            if (dynamoDb == null) {
                dynamoDb = AwsClients.dynamoDb(endpoints.dynamoDb());
            }
            return dynamoDb;
        }
    }

    /** A shared SNS client for this stack; closed with it. */
    public SnsClient sns() {
        synchronized (lock) {
            if (sns == null) {
                sns = AwsClients.sns(endpoints.sns());
            }
            return sns;
        }
    }

    /** A shared SQS client for this stack; closed with it. */
    public SqsClient sqs() {
        synchronized (lock) {
            if (sqs == null) {
                sqs = AwsClients.sqs(endpoints.sqs());
            }
            return sqs;
        }
    }

    /**
     * A Redis Cluster (three masters, each with a replica), started on first use (it is needed only by tests of cluster mode) and
     * stopped with the stack.
     */
    public RedisCluster redisCluster() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the local stack is closed");
            }
            if (redisCluster == null) {
                redisCluster = RedisCluster.start(logDir());
            }
            return redisCluster;
        }
    }

    /**
     * A PostgreSQL server (a private cluster in the state directory), started on first use — only the adapter's
     * tests need one, so the other suites do not pay for it — and stopped with the stack.
     */
    public PostgresServer postgres() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the local stack is closed");
            }
            if (postgres == null) {
                postgres = PostgresServer.start(stateDir);
            }
            return postgres;
        }
    }

    /**
     * Creates a provisioned stream and waits until it is ACTIVE. kinesis-local makes it ACTIVE at once;
     * DescribeStreamSummary is polled rather than using the SDK waiter, which sleeps about 10 s.
     */
    public void createStream(String name, int shards) {
        KinesisClient client = kinesis();
        client.createStream(b -> b.streamName(name).shardCount(shards));
        long deadline = System.nanoTime() + STREAM_TIMEOUT.toNanos();
        while (client.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus()
                != StreamStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new LocalStackException("stream " + name + " did not become ACTIVE within " + STREAM_TIMEOUT.toSeconds() + " s");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted while waiting for stream " + name, e);
            }
        }
    }

    private List<StandIn> standIns() {
        return List.of(kinesisLocal, dynamoDbLocal, redisServer, motoServer);
    }

    /**
     * For a caller with processes of its own on this stack (make up's system): its own shutdown hook stops them and
     * then closes the stack. Without this, the JVM runs this stack's hook at the same time as the caller's, and the
     * stand-ins stop under processes still draining into them (an adapter writing to PostgreSQL).
     */
    public void closedByCallersShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: this stack's hook is running, as it would have.
        }
    }

    /** Stops every stand-in and closes the shared clients. Idempotent; safe from any thread. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            List<AutoCloseable> clients = new ArrayList<>();
            for (AutoCloseable c : new AutoCloseable[] {kinesis, dynamoDb, sns, sqs}) {
                if (c != null) {
                    clients.add(c);
                }
            }
            for (AutoCloseable c : clients) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.debug("closing a client: {}", e.toString());
                }
            }
        }
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        if (redisCluster != null) {
            stops.add(CompletableFuture.runAsync(redisCluster::close));
        }
        if (postgres != null) {
            stops.add(CompletableFuture.runAsync(postgres::close));
        }
        for (StandIn s : standIns()) {
            stops.add(CompletableFuture.runAsync(s::close));
        }
        stops.forEach(CompletableFuture::join);
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down: the hook runs (or ran) close(), which is idempotent.
            }
        }
        log.info("local stack stopped");
    }
}
