package io.streamwreck.ledger;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The ledger's two lettuce connections to a standalone Redis or a Redis Cluster: one shared connection for
 * single commands, and one dedicated to pipelining (auto-flush off, commands queued and flushed together
 * under a lock, so callers on several threads never flush each other's half-queued batches).
 *
 * <p>Commands fail at once while disconnected (rather than queueing without bound) and time out after
 * {@code timeout}: a Redis outage becomes a {@link LedgerUnavailableException} for the caller to surface.
 */
final class LedgerConnection implements AutoCloseable {

    private final AbstractRedisClient client;
    private final StatefulConnection<byte[], byte[]> shared;
    private final RedisClusterAsyncCommands<byte[], byte[]> sharedCommands;
    private final StatefulConnection<byte[], byte[]> pipeline;
    private final RedisClusterAsyncCommands<byte[], byte[]> pipelineCommands;
    private final ReentrantLock pipelineLock = new ReentrantLock();
    private final Duration timeout;
    private final String where;

    private LedgerConnection(AbstractRedisClient client, StatefulConnection<byte[], byte[]> shared,
                             RedisClusterAsyncCommands<byte[], byte[]> sharedCommands,
                             StatefulConnection<byte[], byte[]> pipeline,
                             RedisClusterAsyncCommands<byte[], byte[]> pipelineCommands, Duration timeout, String where) {
        this.client = client;
        this.shared = shared;
        this.sharedCommands = sharedCommands;
        this.pipeline = pipeline;
        this.pipelineCommands = pipelineCommands;
        this.timeout = timeout;
        this.where = where;
        pipeline.setAutoFlushCommands(false);
    }

    /**
     * Connects to {@code url} ({@code redis://} or {@code rediss://} with TLS, optionally with an AUTH token).
     *
     * @throws LedgerUnavailableException when Redis cannot be reached
     */
    static LedgerConnection open(String url, boolean cluster, Duration timeout) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(timeout);
        String where = (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort();
        try {
            if (cluster) {
                RedisClusterClient client = RedisClusterClient.create(uri);
                client.setOptions(ClusterClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .timeoutOptions(TimeoutOptions.enabled(timeout))
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enableAllAdaptiveRefreshTriggers().build())
                        .build());
                try {
                    StatefulRedisClusterConnection<byte[], byte[]> shared = client.connect(ByteArrayCodec.INSTANCE);
                    StatefulRedisClusterConnection<byte[], byte[]> pipeline = client.connect(ByteArrayCodec.INSTANCE);
                    return new LedgerConnection(client, shared, shared.async(), pipeline, pipeline.async(), timeout, where + " (cluster)");
                } catch (RuntimeException e) {
                    client.shutdown();
                    throw e;
                }
            }
            RedisClient client = RedisClient.create(uri);
            client.setOptions(ClientOptions.builder()
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(timeout))
                    .build());
            try {
                StatefulRedisConnection<byte[], byte[]> shared = client.connect(ByteArrayCodec.INSTANCE);
                StatefulRedisConnection<byte[], byte[]> pipeline = client.connect(ByteArrayCodec.INSTANCE);
                return new LedgerConnection(client, shared, shared.async(), pipeline, pipeline.async(), timeout, where);
            } catch (RuntimeException e) {
                client.shutdown();
                throw e;
            }
        } catch (RuntimeException e) {
            throw new LedgerUnavailableException("cannot connect to the ledger at " + where + ": " + rootMessage(e), e);
        }
    }

    /** Runs one command on the shared connection and waits for its answer. */
    <T> T call(Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command) {
        return await(command.apply(sharedCommands));
    }

    /**
     * Runs a Lua script by its SHA-1 digest, loading it (EVAL) when the server does not know it yet — after
     * a restart, a failover, or on a cluster node that has not run it before.
     */
    java.util.List<Object> script(LuaScript script, byte[][] keys, byte[]... args) {
        RedisFuture<java.util.List<Object>> bySha = sharedCommands.evalsha(script.sha1(), io.lettuce.core.ScriptOutputType.MULTI, keys, args);
        try {
            return bySha.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof io.lettuce.core.RedisNoScriptException)) {
                throw new LedgerUnavailableException("the ledger at " + where + " failed a script: " + rootMessage(e), e.getCause());
            }
        } catch (TimeoutException e) {
            bySha.cancel(true);
            throw new LedgerUnavailableException("the ledger at " + where + " did not answer within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerUnavailableException("interrupted while waiting for the ledger at " + where, e);
        }
        return await(sharedCommands.eval(script.source(), io.lettuce.core.ScriptOutputType.MULTI, keys, args));
    }

    /**
     * Queues commands on the pipelining connection and sends them in one flush, without waiting: the caller
     * prepares the next commands while Redis answers these, then {@link #await}s them.
     */
    <T> List<? extends RedisFuture<? extends T>> send(Function<RedisClusterAsyncCommands<byte[], byte[]>, List<? extends RedisFuture<? extends T>>> commands) {
        pipelineLock.lock();
        try {
            List<? extends RedisFuture<? extends T>> futures = commands.apply(pipelineCommands);
            pipeline.flushCommands();
            return futures;
        } finally {
            pipelineLock.unlock();
        }
    }

    /**
     * Queues commands on the pipelining connection, sends them in one flush and waits for every answer.
     *
     * @return the answers, in the order the futures were returned
     */
    <T> List<T> pipelined(Function<RedisClusterAsyncCommands<byte[], byte[]>, List<? extends RedisFuture<? extends T>>> commands) {
        List<? extends RedisFuture<? extends T>> futures;
        pipelineLock.lock();
        try {
            futures = commands.apply(pipelineCommands);
            pipeline.flushCommands();
        } finally {
            pipelineLock.unlock();
        }
        List<T> results = new ArrayList<>(futures.size());
        for (RedisFuture<? extends T> f : futures) {
            results.add(await(f));
        }
        return results;
    }

    <T> T await(RedisFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new LedgerUnavailableException("the ledger at " + where + " failed a command: " + rootMessage(e), e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new LedgerUnavailableException("the ledger at " + where + " did not answer within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerUnavailableException("interrupted while waiting for the ledger at " + where, e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    String where() {
        return where;
    }

    @Override
    public void close() {
        shared.close();
        pipeline.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
