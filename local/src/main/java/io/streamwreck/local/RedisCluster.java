package io.streamwreck.local;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real three-master Redis Cluster on 127.0.0.1 ({@code redis-server --cluster-enabled yes} per node, joined
 * by {@code redis-cli --cluster create}), the local stand-in for ElastiCache in cluster mode.
 */
public final class RedisCluster implements AutoCloseable {

    private static final int MASTERS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServer> nodes;

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = nodes;
    }

    /** Starts the nodes, creates the cluster and waits until every node reports {@code cluster_state:ok}. */
    static RedisCluster start(Path logDir) {
        Path cli = Executables.require("redis-cli", "REDIS_CLI", RedisServer.INSTALL_HINT);
        List<RedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < MASTERS; i++) {
                Path nodeDir = logDir.resolve("redis-cluster-" + i);
                Files.createDirectories(nodeDir);
                // A node that remembers an earlier cluster refuses to join a new one.
                Files.deleteIfExists(nodeDir.resolve("nodes.conf"));
                nodes.add(RedisServer.start(nodeDir, "redis-cluster-" + i, List.of(
                        "--cluster-enabled", "yes",
                        "--cluster-config-file", nodeDir.toAbsolutePath().resolve("nodes.conf").toString(),
                        // The bus port defaults to port + 10000, impossible for free ports above 55535.
                        "--cluster-port", Integer.toString(LoopbackPorts.free()),
                        "--cluster-node-timeout", "5000")));
            }
            List<String> create = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
            nodes.forEach(n -> create.add(LoopbackPorts.HOST + ":" + n.port()));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            run(create, logDir.resolve("redis-cluster-create.log"));
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            for (RedisServer node : nodes) {
                while (!clusterInfo(cli, node.port()).contains("cluster_state:ok")) {
                    if (System.nanoTime() > deadline) {
                        throw new LocalStackException("the Redis Cluster did not reach cluster_state:ok within "
                                + READY_TIMEOUT.toSeconds() + " s; see " + logDir);
                    }
                    TimeUnit.MILLISECONDS.sleep(50);
                }
            }
            return new RedisCluster(nodes);
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

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new LocalStackException(String.join(" ", command) + " failed; see " + log);
        }
    }

    private static String clusterInfo(Path cli, int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cli.toString(), "-h", LoopbackPorts.HOST, "-p", Integer.toString(port), "cluster", "info")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    /** One {@code redis://} URI per node; a cluster client needs only one of them to discover the rest. */
    public List<URI> nodeUris() {
        return nodes.stream().map(RedisServer::endpoint).toList();
    }

    /** Process ids of the nodes. */
    public List<Long> pids() {
        return nodes.stream().map(n -> n.process().pid()).toList();
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }
}
