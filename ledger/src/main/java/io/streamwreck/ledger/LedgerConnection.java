package io.streamwreck.ledger;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The ledger's lettuce connections to a standalone Redis or a Redis Cluster: one shared connection for single
 * commands (scripts, PING, SMEMBERS), and pipelining {@linkplain Lane lanes} with auto-flush off, on which
 * commands are queued and flushed together under the lane's lock, so callers on several threads never flush
 * each other's half-queued batches.
 *
 * <p>Standalone: one lane, a dedicated connection. Cluster: one lane per master, on that node's own connection,
 * obtained from a dedicated cluster connection and <em>awaited</em> before anything is queued on it; a batch is
 * grouped by slot → master here and each group flushed on its node's lane. Auto-flush is never turned off on a
 * cluster connection itself: there a command for a node whose connection is still being opened is written when
 * the connection completes, possibly after the flush was issued, and then waits for a flush that never comes
 * (lettuce issue #2420; also MOVED/ASK redirects, which lettuce writes later on the event loop). A MOVED or ASK
 * answer is followed here, on an awaited lane; a failed or moved node makes the topology be refreshed.
 *
 * <p>Commands fail at once while disconnected (rather than queueing without bound) and time out after
 * {@code timeout}: a Redis outage becomes a {@link LedgerUnavailableException} for the caller to surface.
 */
final class LedgerConnection implements AutoCloseable {

    /**
     * How often the cluster topology may be re-read because of a failure (a MOVED answer, a lost node). A
     * failover is noticed within about this long of the promotion (lettuce's own adaptive triggers, also set
     * to this, would wait 30 s between refreshes by default).
     */
    static final Duration TOPOLOGY_REFRESH_INTERVAL = Duration.ofMillis(500);
    /** The cluster topology is also re-read this often, to notice a scaled or replaced cluster with no failure. */
    static final Duration TOPOLOGY_PERIODIC_REFRESH = Duration.ofSeconds(60);
    /**
     * While waiting for an answer, its lane is flushed again this often: a command that sits in a buffer for any
     * reason (a reconnect between queueing and flushing) is sent rather than left to time out.
     */
    private static final long REFLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int MAX_REDIRECTS = 5;

    private final AbstractRedisClient client;
    private final StatefulConnection<byte[], byte[]> shared;
    private final RedisClusterAsyncCommands<byte[], byte[]> sharedCommands;
    /** Standalone: the one pipelining lane. Cluster: null. */
    private final Lane standaloneLane;
    /** Cluster: the connection whose node connections the lanes use (never sent commands itself). */
    private final StatefulRedisClusterConnection<byte[], byte[]> router;
    /** Cluster: lanes by node id. */
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicLong lastRefresh = new AtomicLong(System.nanoTime() - TOPOLOGY_REFRESH_INTERVAL.toNanos());
    private final Duration timeout;
    private final String where;

    /** A connection on which commands are queued with auto-flush off and sent by one flush, under its lock. */
    private static final class Lane {
        final StatefulRedisConnection<byte[], byte[]> connection;
        final RedisClusterAsyncCommands<byte[], byte[]> commands;
        final ReentrantLock lock = new ReentrantLock();

        /** {@code connection} must be connected already: auto-flush off is safe only then. */
        Lane(StatefulRedisConnection<byte[], byte[]> connection) {
            this.connection = connection;
            this.commands = connection.async();
            connection.setAutoFlushCommands(false);
        }

        void flush() {
            lock.lock();
            try {
                connection.flushCommands();
            } finally {
                lock.unlock();
            }
        }
    }

    /** One command of a pipelined batch: the key it is routed by, how to issue it, and its answer. */
    static final class Queued<T> {
        final byte[] key;
        final Function<RedisClusterAsyncCommands<byte[], byte[]>, ? extends RedisFuture<? extends T>> command;
        RedisFuture<? extends T> future;
        Lane lane;
        int redirects;

        Queued(byte[] key, Function<RedisClusterAsyncCommands<byte[], byte[]>, ? extends RedisFuture<? extends T>> command) {
            this.key = key;
            this.command = command;
        }
    }

    /** The commands of one pipelined batch, each with the one key it touches. */
    static final class Batch<T> {
        final List<Queued<T>> queued = new ArrayList<>();

        Queued<T> add(byte[] key, Function<RedisClusterAsyncCommands<byte[], byte[]>, ? extends RedisFuture<? extends T>> command) {
            Queued<T> q = new Queued<>(key, command);
            queued.add(q);
            return q;
        }
    }

    private LedgerConnection(AbstractRedisClient client, StatefulConnection<byte[], byte[]> shared,
                             RedisClusterAsyncCommands<byte[], byte[]> sharedCommands, Lane standaloneLane,
                             StatefulRedisClusterConnection<byte[], byte[]> router, Duration timeout, String where) {
        this.client = client;
        this.shared = shared;
        this.sharedCommands = sharedCommands;
        this.standaloneLane = standaloneLane;
        this.router = router;
        this.timeout = timeout;
        this.where = where;
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
                                .enableAllAdaptiveRefreshTriggers()
                                .adaptiveRefreshTriggersTimeout(TOPOLOGY_REFRESH_INTERVAL)
                                .refreshTriggersReconnectAttempts(1)
                                .enablePeriodicRefresh(TOPOLOGY_PERIODIC_REFRESH)
                                .build())
                        .build());
                try {
                    StatefulRedisClusterConnection<byte[], byte[]> shared = client.connect(ByteArrayCodec.INSTANCE);
                    StatefulRedisClusterConnection<byte[], byte[]> router = client.connect(ByteArrayCodec.INSTANCE);
                    return new LedgerConnection(client, shared, shared.async(), null, router, timeout, where + " (cluster)");
                } catch (RuntimeException e) {
                    client.shutdown();
                    throw e;
                }
            }
            RedisClient client = AsyncOnlyRedisClient.forUri(uri);
            client.setOptions(ClientOptions.builder()
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(timeout))
                    .build());
            try {
                // Both at once: the second handshake's round trips overlap the first's instead of following them.
                ConnectionFuture<StatefulRedisConnection<byte[], byte[]>> sharedOpening = client.connectAsync(ByteArrayCodec.INSTANCE, uri);
                ConnectionFuture<StatefulRedisConnection<byte[], byte[]>> pipelineOpening = client.connectAsync(ByteArrayCodec.INSTANCE, uri);
                StatefulRedisConnection<byte[], byte[]> shared = connected(sharedOpening);
                StatefulRedisConnection<byte[], byte[]> pipeline = connected(pipelineOpening);
                return new LedgerConnection(client, shared, shared.async(), new Lane(pipeline), null, timeout, where);
            } catch (RuntimeException e) {
                client.shutdown();
                throw e;
            }
        } catch (RuntimeException e) {
            throw new LedgerUnavailableException("cannot connect to the ledger at " + where + ": " + rootMessage(e), e);
        }
    }

    /** The connection, once open; fails as lettuce's own {@code connect} does (the client's shutdown closes the rest). */
    private static <T> T connected(ConnectionFuture<T> opening) {
        try {
            return opening.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisCommandInterruptedException(e);
        } catch (ExecutionException e) {
            throw RedisConnectionException.create(opening.getRemoteAddress(), e.getCause());
        }
    }

    /** Runs one command on the shared connection and waits for its answer. */
    <T> T call(Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command) {
        return awaitShared(command.apply(sharedCommands));
    }

    /**
     * Runs a Lua script by its SHA-1 digest, loading it (EVAL) when the server does not know it yet — after
     * a restart, a failover, or on a cluster node that has not run it before.
     */
    List<Object> script(LuaScript script, byte[][] keys, byte[]... args) {
        RedisFuture<List<Object>> bySha = sharedCommands.evalsha(script.sha1(), ScriptOutputType.MULTI, keys, args);
        try {
            return bySha.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof RedisNoScriptException)) {
                throw failed("failed a script", e.getCause());
            }
        } catch (TimeoutException e) {
            bySha.cancel(true);
            throw timedOut(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerUnavailableException("interrupted while waiting for the ledger at " + where, e);
        }
        return awaitShared(sharedCommands.eval(script.source(), ScriptOutputType.MULTI, keys, args));
    }

    /**
     * Queues a batch of single-key commands on the pipelining lanes and sends them, one flush per lane, without
     * waiting: the caller prepares the next commands while Redis answers these, then {@link #await}s them.
     */
    <T> List<Queued<T>> send(Consumer<Batch<T>> fill) {
        Batch<T> batch = new Batch<>();
        fill.accept(batch);
        if (batch.queued.isEmpty()) {
            return batch.queued;
        }
        if (standaloneLane != null) {
            queue(standaloneLane, batch.queued);
            return batch.queued;
        }
        Partitions partitions = router.getPartitions();
        Map<String, List<Queued<T>>> byNode = new LinkedHashMap<>();
        for (Queued<T> q : batch.queued) {
            RedisClusterNode node = partitions.getMasterBySlot(SlotHash.getSlot(q.key));
            if (node == null) {
                refreshTopology();
                throw new LedgerUnavailableException("no master of the ledger at " + where + " serves slot "
                        + SlotHash.getSlot(q.key) + " (a failover or resharding under way?)", null);
            }
            byNode.computeIfAbsent(node.getNodeId(), id -> new ArrayList<>()).add(q);
        }
        for (Map.Entry<String, List<Queued<T>>> e : byNode.entrySet()) {
            queue(lane(e.getKey()), e.getValue());
        }
        return batch.queued;
    }

    /** Issues the commands on the lane and flushes them, under its lock. */
    private static void queue(Lane lane, List<? extends Queued<?>> commands) {
        lane.lock.lock();
        try {
            for (Queued<?> q : commands) {
                issue(lane, q);
            }
            lane.connection.flushCommands();
        } finally {
            lane.lock.unlock();
        }
    }

    private static <T> void issue(Lane lane, Queued<T> q) {
        q.lane = lane;
        q.future = q.command.apply(lane.commands);
    }

    /** The lane of a cluster node: its connection, opened (and awaited) on first use or after it closed. */
    private Lane lane(String nodeId) {
        Lane lane = lanes.get(nodeId);
        if (lane != null && lane.connection.isOpen()) {
            return lane;
        }
        synchronized (lanes) {
            lane = lanes.get(nodeId);
            if (lane != null && lane.connection.isOpen()) {
                return lane;
            }
            try {
                lane = new Lane(router.getConnectionAsync(nodeId).get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                refreshTopology();
                throw failed("could not connect to node " + nodeId, e.getCause());
            } catch (TimeoutException e) {
                throw timedOut(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LedgerUnavailableException("interrupted while connecting to the ledger at " + where, e);
            } catch (RuntimeException e) {
                // e.g. the node left the topology since the slot was looked up
                refreshTopology();
                throw failed("could not connect to node " + nodeId, e);
            }
            lanes.put(nodeId, lane);
            return lane;
        }
    }

    /**
     * Queues commands on the pipelining lanes, sends them (one flush per lane) and waits for every answer.
     *
     * @return the answers, in the order the commands were added
     */
    <T> List<T> pipelined(Consumer<Batch<T>> fill) {
        List<Queued<T>> queued = send(fill);
        List<T> results = new ArrayList<>(queued.size());
        for (Queued<T> q : queued) {
            results.add(await(q));
        }
        return results;
    }

    /**
     * Waits for a pipelined command's answer, re-flushing its lane while it waits; on a cluster, follows a MOVED
     * or ASK answer to the node that serves the key now.
     */
    <T> T await(Queued<T> q) {
        while (true) {
            try {
                return getOnLane(q);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                String redirect = redirect(cause);
                if (redirect == null || router == null || q.redirects >= MAX_REDIRECTS) {
                    throw failed("failed a command", cause);
                }
                q.redirects++;
                resend(q, redirect);
            }
        }
    }

    /** Waits for the answer on the command's lane, flushing the lane again while it waits. */
    private <T> T getOnLane(Queued<T> q) throws ExecutionException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                long left = deadline - System.nanoTime();
                return q.future.get(Math.max(0, Math.min(left, REFLUSH_NANOS)), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (System.nanoTime() - deadline >= 0) {
                    q.future.cancel(true);
                    throw timedOut(e);
                }
                q.lane.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LedgerUnavailableException("interrupted while waiting for the ledger at " + where, e);
            }
        }
    }

    /**
     * Runs a Lua script that writes, and on a cluster makes sure the write reached the master's replicas before
     * it counts as done: the script runs on the lane of its keys' master, followed in the same flush by {@code
     * WAIT} for that master's live replicas. Redis replicates asynchronously, so without the WAIT a master that
     * crashes right after answering can take an acknowledged notice with it when its replica takes over. A write
     * not replicated in time is a {@link LedgerUnavailableException}: the caller retries, and the script's own
     * idempotence (the notice id) makes the retry safe. Standalone: {@link #script} on the shared connection.
     */
    List<Object> replicatedScript(LuaScript script, byte[][] keys, byte[]... args) {
        if (router == null) {
            return script(script, keys, args);
        }
        int slot = SlotHash.getSlot(keys[0]);
        boolean loaded = true;
        for (int attempt = 0; ; attempt++) {
            Partitions partitions = router.getPartitions();
            RedisClusterNode master = partitions.getMasterBySlot(slot);
            if (master == null) {
                refreshTopology();
                throw new LedgerUnavailableException("no master of the ledger at " + where + " serves slot " + slot
                        + " (a failover or resharding under way?)", null);
            }
            int replicas = liveReplicas(partitions, master.getNodeId());
            Lane lane = lane(master.getNodeId());
            boolean bySha = loaded;
            Queued<List<Object>> run = new Queued<>(keys[0], c -> bySha
                    ? c.evalsha(script.sha1(), ScriptOutputType.MULTI, keys, args)
                    : c.eval(script.source(), ScriptOutputType.MULTI, keys, args));
            Queued<Long> replicated = new Queued<>(keys[0], c -> c.waitForReplication(replicas, waitMillis()));
            queue(lane, replicas > 0 ? List.of(run, replicated) : List.of(run));
            List<Object> answer;
            try {
                answer = getOnLane(run);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RedisNoScriptException && loaded) {
                    loaded = false;     // a node that has not run it yet (a new master): send the source
                    continue;
                }
                if (redirect(cause) != null && attempt < MAX_REDIRECTS) {
                    refreshTopologyNow();
                    continue;
                }
                throw failed("failed a script", cause);
            }
            if (replicas > 0) {
                long acknowledged;
                try {
                    acknowledged = getOnLane(replicated);
                } catch (ExecutionException e) {
                    throw failed("failed to confirm replication", e.getCause());
                }
                if (acknowledged < replicas) {
                    refreshTopology();      // a replica may have failed
                    throw new LedgerUnavailableException("the ledger at " + where + " wrote to node " + master.getUri()
                            + " but " + acknowledged + " of its " + replicas + " replicas confirmed it within "
                            + waitMillis() + " ms; retry (a notice is recorded once)", null);
                }
            }
            return answer;
        }
    }

    /** How long a write waits for its replicas: half the command timeout, at most a second. */
    private long waitMillis() {
        return Math.max(1, Math.min(1_000, timeout.toMillis() / 2));
    }

    /** Replicas of the node, by the topology, not marked failed. */
    private static int liveReplicas(Partitions partitions, String nodeId) {
        int n = 0;
        for (RedisClusterNode node : partitions) {
            if (nodeId.equals(node.getSlaveOf()) && !node.is(RedisClusterNode.NodeFlag.FAIL)
                    && !node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL) && !node.is(RedisClusterNode.NodeFlag.NOADDR)) {
                n++;
            }
        }
        return n;
    }

    /** "MOVED 3999 127.0.0.1:6381" or "ASK 3999 127.0.0.1:6381" from a cluster node, else null. */
    private static String redirect(Throwable cause) {
        if (cause instanceof RedisCommandExecutionException && cause.getMessage() != null
                && (cause.getMessage().startsWith("MOVED ") || cause.getMessage().startsWith("ASK "))) {
            return cause.getMessage();
        }
        return null;
    }

    /** Sends a redirected command again, on the lane of the node the redirect names. */
    private <T> void resend(Queued<T> q, String redirect) {
        String[] parts = redirect.split(" ");
        boolean ask = parts[0].equals("ASK");
        String hostPort = parts[2];
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        if (!ask) {
            // The slot has a new owner for good: let every connection of this client know.
            refreshTopologyNow();
        }
        RedisClusterNode target = router.getPartitions().getPartition(host, port);
        if (target == null) {
            refreshTopologyNow();
            target = router.getPartitions().getPartition(host, port);
        }
        if (target == null) {
            throw new LedgerUnavailableException("the ledger at " + where + " redirected a command to " + hostPort
                    + ", a node not in its topology", null);
        }
        Lane lane = lane(target.getNodeId());
        lane.lock.lock();
        try {
            q.lane = lane;
            if (ask) {
                lane.commands.asking();
            }
            q.future = q.command.apply(lane.commands);
            lane.connection.flushCommands();
        } finally {
            lane.lock.unlock();
        }
    }

    private <T> T awaitShared(RedisFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failed("failed a command", e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timedOut(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerUnavailableException("interrupted while waiting for the ledger at " + where, e);
        }
    }

    private LedgerUnavailableException failed(String what, Throwable cause) {
        // On a cluster a failure may mean a failed node or a moved slot: look at the topology again soon.
        refreshTopology();
        return new LedgerUnavailableException("the ledger at " + where + " " + what + ": " + rootMessage(cause), cause);
    }

    private LedgerUnavailableException timedOut(TimeoutException e) {
        refreshTopology();
        return new LedgerUnavailableException("the ledger at " + where + " did not answer within " + timeout.toMillis() + " ms", e);
    }

    /** Re-reads the cluster topology in the background, at most once per {@link #TOPOLOGY_REFRESH_INTERVAL}. */
    private void refreshTopology() {
        if (client instanceof RedisClusterClient cluster && claimRefresh()) {
            cluster.refreshPartitionsAsync();
        }
    }

    /** Re-reads the cluster topology and waits for it, unless that was just done. */
    private void refreshTopologyNow() {
        if (client instanceof RedisClusterClient cluster && claimRefresh()) {
            try {
                cluster.refreshPartitionsAsync().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // keep the topology we have; the command fails or is redirected again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean claimRefresh() {
        long now = System.nanoTime();
        long last = lastRefresh.get();
        return now - last >= TOPOLOGY_REFRESH_INTERVAL.toNanos() && lastRefresh.compareAndSet(last, now);
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
        if (standaloneLane != null) {
            standaloneLane.connection.close();
        }
        if (router != null) {
            router.close();     // closes the node connections of the lanes too
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
