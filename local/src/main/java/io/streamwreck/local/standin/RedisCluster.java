package io.streamwreck.local.standin;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster on 127.0.0.1 — three masters, each with one replica ({@code redis-server
 * --cluster-enabled yes} per node, joined by {@code redis-cli --cluster create … --cluster-replicas 1}) — the
 * local stand-in for ElastiCache in cluster mode. {@link #killMaster(URI)} crashes a master so that its
 * replica is promoted: a real failover, for fault tests.
 */
public final class RedisCluster implements AutoCloseable {

    private static final int MASTERS = 3;
    private static final int REPLICAS_PER_MASTER = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    /**
     * {@code cluster-node-timeout}: how long a master may not answer before its replica takes over. Short, so
     * failover tests are quick; long enough that a busy two-core machine does not fail nodes over by itself (2 s
     * was not: under a load average of 20 a spurious failover is suspected in the rare notice losses seen then).
     */
    public static final Duration NODE_TIMEOUT = Duration.ofMillis(5000);

    /** Redis gives up a manual failover after this long (CLUSTER_MF_TIMEOUT). */
    private static final Duration MANUAL_FAILOVER_TIMEOUT = Duration.ofSeconds(6);

    private final List<RedisServer> nodes;
    private final Path cli;
    private final Path logDir;

    private RedisCluster(List<RedisServer> nodes, Path cli, Path logDir) {
        this.nodes = nodes;
        this.cli = cli;
        this.logDir = logDir;
    }

    /**
     * Starts the nodes, creates the cluster and waits until every node reports {@code cluster_state:ok} and
     * every replica is in sync with its master. {@link LocalStack#redisCluster()} shares one per stack; a test
     * that fails nodes over starts one of its own here (and closes it).
     *
     * @param logDir where the nodes' logs and cluster files go (created if missing)
     */
    public static RedisCluster start(Path logDir) {
        Path cli = Executables.require("redis-cli", "REDIS_CLI", RedisServer.INSTALL_HINT);
        List<RedisServer> nodes = new ArrayList<>();
        try {
            Files.createDirectories(logDir);
            for (int i = 0; i < MASTERS * (1 + REPLICAS_PER_MASTER); i++) {
                Path nodeDir = logDir.resolve("redis-cluster-" + i);
                Files.createDirectories(nodeDir);
                // A node that remembers an earlier cluster refuses to join a new one.
                Files.deleteIfExists(nodeDir.resolve("nodes.conf"));
                nodes.add(RedisServer.start(nodeDir, "redis-cluster-" + i, List.of(
                        "--cluster-enabled", "yes",
                        "--cluster-config-file", nodeDir.toAbsolutePath().resolve("nodes.conf").toString(),
                        // The bus port defaults to port + 10000, impossible for free ports above 55535.
                        "--cluster-port", Integer.toString(LoopbackPorts.free()),
                        "--cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis()),
                        // A replica whose master just died must not wait for data it can never get.
                        "--cluster-replica-validity-factor", "0",
                        "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0")));
            }
            List<String> create = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
            nodes.forEach(n -> create.add(LoopbackPorts.HOST + ":" + n.port()));
            create.addAll(List.of("--cluster-replicas", Integer.toString(REPLICAS_PER_MASTER), "--cluster-yes"));
            run(create, logDir.resolve("redis-cluster-create.log"));
            RedisCluster cluster = new RedisCluster(nodes, cli, logDir);
            cluster.awaitHealthy(READY_TIMEOUT);
            return cluster;
        } catch (IOException e) {
            nodes.forEach(RedisServer::close);
            throw new LocalStackException("cannot start the Redis Cluster: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            nodes.forEach(RedisServer::close);
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while starting the Redis Cluster", e);
        } catch (RuntimeException e) {
            nodes.forEach(RedisServer::close);
            throw e;
        }
    }

    /**
     * Waits until every live node reports {@code cluster_state:ok}, {@value #MASTERS} masters serve slots, and
     * every live replica's link to its master is up.
     */
    private void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!healthy()) {
            if (System.nanoTime() > deadline) {
                throw new LocalStackException("the Redis Cluster did not become healthy (cluster_state:ok, "
                        + MASTERS + " masters, replicas in sync) within " + timeout.toSeconds() + " s; see " + logDir);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private boolean healthy() throws IOException, InterruptedException {
        int masters = 0;
        for (RedisServer node : live()) {
            if (!cli(node.port(), "cluster", "info").contains("cluster_state:ok")) {
                return false;
            }
            String replication = cli(node.port(), "info", "replication");
            if (replication.contains("role:master")) {
                masters++;
            } else if (!replication.contains("master_link_status:up")) {
                return false;
            }
        }
        if (masters != MASTERS) {
            return false;
        }
        // Every node must also *know* every replica: a client takes the topology from one node, and a view that
        // still shows a fresh replica as a slot-less master makes the ledger count no replica to WAIT for (a
        // failover right after start then lost acknowledged notices).
        long replicas = live().size() - MASTERS;
        for (RedisServer node : live()) {
            long known = cli(node.port(), "cluster", "nodes").lines()
                    .map(line -> line.split(" "))
                    .filter(fields -> fields.length > 3 && fields[2].contains("slave") && !fields[2].contains("fail")
                            && !fields[3].equals("-"))
                    .count();
            if (known != replicas) {
                return false;
            }
        }
        return true;
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new LocalStackException(String.join(" ", command) + " failed; see " + log);
        }
    }

    private String cli(int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(cli.toString(), "-h", LoopbackPorts.HOST, "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }

    private List<RedisServer> live() {
        return nodes.stream().filter(n -> n.process().isAlive()).toList();
    }

    private boolean isMaster(RedisServer node) {
        try {
            return node.process().isAlive() && cli(node.port(), "role").startsWith("master");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while asking a Redis Cluster node for its role", e);
        }
    }

    /**
     * The {@code redis://} URIs of the nodes that are masters now (three; after a failover, the promoted
     * replicas instead of the failed masters). A cluster client needs only one of them to discover the rest;
     * every key lives on exactly one of them.
     */
    public List<URI> nodeUris() {
        return nodes.stream().filter(this::isMaster).map(RedisServer::endpoint).toList();
    }

    /** The {@code redis://} URIs of every node, masters and replicas, live or not. */
    public List<URI> allNodeUris() {
        return nodes.stream().map(RedisServer::endpoint).toList();
    }

    /** Process ids of the nodes, masters and replicas. */
    public List<Long> pids() {
        return nodes.stream().map(n -> n.process().pid()).toList();
    }

    /** {@code cluster-node-timeout}: a failed master is replaced after about this long plus an election. */
    public Duration nodeTimeout() {
        return NODE_TIMEOUT;
    }

    /**
     * Crashes a master (SIGKILL) and waits until its replica has been promoted and the cluster reports
     * {@code cluster_state:ok} again — a real failover, as ElastiCache does when a primary fails.
     *
     * @param master one of {@link #nodeUris()}
     * @return the URI of the promoted replica
     * @throws LocalStackException when no replica takes over within {@code timeout}
     */
    public URI killMaster(URI master, Duration timeout) {
        RedisServer node = nodes.stream().filter(n -> n.endpoint().equals(master)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(master + " is not a node of this cluster"));
        if (!isMaster(node)) {
            throw new IllegalArgumentException(master + " is not a live master");
        }
        List<RedisServer> replicas = replicasOf(node);
        if (replicas.isEmpty()) {
            throw new IllegalStateException(master + " has no replica to fail over to");
        }
        node.process().kill();
        try {
            awaitHealthy(timeout);
        } catch (IOException e) {
            throw new LocalStackException("cannot watch the Redis Cluster fail over: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while the Redis Cluster failed over", e);
        }
        Optional<RedisServer> promoted = replicas.stream().filter(this::isMaster).findFirst();
        return promoted.orElseThrow(() -> new LocalStackException("no replica of " + master + " was promoted; see " + logDir))
                .endpoint();
    }

    /**
     * A graceful, manual failover ({@code CLUSTER FAILOVER} on the master's replica): the replica becomes the
     * master, the old master its replica; no write is lost. Clients that still route by the old topology get
     * {@code MOVED} answers until they refresh it. Waits until the cluster is healthy again.
     *
     * @param master one of {@link #nodeUris()}
     * @return the URI of the new master (the former replica)
     */
    public URI switchOver(URI master, Duration timeout) {
        RedisServer node = nodes.stream().filter(n -> n.endpoint().equals(master)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(master + " is not a node of this cluster"));
        RedisServer replica = replicasOf(node).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException(master + " has no replica to switch over to"));
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            long retryAt = 0;
            while (!isMaster(replica) || isMaster(node) || !healthy()) {
                if (System.nanoTime() > deadline) {
                    throw new LocalStackException("the switch-over from " + master + " did not complete within "
                            + timeout.toSeconds() + " s; see " + logDir);
                }
                if (!isMaster(replica) && System.nanoTime() - retryAt > 0) {
                    // A manual failover the master did not take part in times out after 5 s (CLUSTER_MF_TIMEOUT,
                    // e.g. on a busy machine): ask again.
                    String answer = cli(replica.port(), "cluster", "failover");
                    if (!answer.startsWith("OK")) {
                        throw new LocalStackException("CLUSTER FAILOVER on " + replica.endpoint() + " answered " + answer.trim());
                    }
                    retryAt = System.nanoTime() + MANUAL_FAILOVER_TIMEOUT.toNanos();
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
        } catch (IOException e) {
            throw new LocalStackException("cannot switch the Redis Cluster over: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while the Redis Cluster switched over", e);
        }
        return replica.endpoint();
    }

    private List<RedisServer> replicasOf(RedisServer master) {
        List<RedisServer> replicas = new ArrayList<>();
        for (RedisServer n : live()) {
            try {
                String replication = cli(n.port(), "info", "replication");
                if (replication.contains("role:slave") && replication.contains("master_port:" + master.port() + "\r")) {
                    replicas.add(n);
                }
            } catch (IOException e) {
                // not a candidate
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted while asking a Redis Cluster node for its role", e);
            }
        }
        return replicas;
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }
}
