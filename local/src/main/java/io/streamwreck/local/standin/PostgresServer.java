package io.streamwreck.local.standin;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private PostgreSQL cluster (Debian's {@code postgresql} package, version 15): {@code initdb} in a fresh
 * directory under the stack's state directory, one {@code postgres} server on 127.0.0.1 and a free port, trust
 * authentication for the one user {@link #USER} (loopback only), fsync off (a test server keeps nothing worth a
 * flush). Started on first use by {@link LocalStack#postgres()}, stopped with the stack.
 *
 * <p>{@code initdb} and {@code postgres} refuse to run as root, which CI is: as root both run as the
 * {@code postgres} system user ({@code setpriv --reuid}), on directories that user owns. The server is started
 * directly, not through {@code pg_ctl}, so that it is a tethered child that dies with this JVM.
 */
public final class PostgresServer implements StandIn {

    /** The one role of the cluster (a superuser; trust authentication on loopback). */
    public static final String USER = "streamwreck";
    /** The database the cluster is created with. */
    public static final String DATABASE = "postgres";
    static final String INSTALL_HINT = "Install it with 'apt-get install -y postgresql' ('make deps' does this), "
            + "or point $POSTGRES_BIN at a directory holding initdb and postgres.";
    private static final Path DEBIAN_BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final String SYSTEM_USER = "postgres";

    private final TetheredProcess process;
    private final Path dir;
    private final int port;
    private final Duration startupTime;
    private volatile boolean paused;

    private PostgresServer(TetheredProcess process, Path dir, int port, Duration startupTime) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.startupTime = startupTime;
    }

    static PostgresServer start(Path stateDir) {
        Path bin = binaries();
        return PortConflicts.retry(() -> startOnce(bin, stateDir));
    }

    private static Path binaries() {
        String explicit = System.getenv("POSTGRES_BIN");
        Path bin = explicit != null && !explicit.isBlank() ? Path.of(explicit) : DEBIAN_BIN;
        if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("postgres"))) {
            throw new LocalStackException("PostgreSQL's initdb and postgres were not found in " + bin + ". " + INSTALL_HINT);
        }
        return bin;
    }

    private static PostgresServer startOnce(Path bin, Path stateDir) {
        long began = System.nanoTime();
        Path logDir = stateDir.resolve("logs");
        Path dir;
        try {
            Files.createDirectories(logDir);
            // A fresh cluster per start: a stack's database never outlives the stack.
            dir = Files.createTempDirectory(stateDir.toAbsolutePath(), "postgres-");
            Files.createDirectories(dir.resolve("data"));
        } catch (IOException e) {
            throw new LocalStackException("cannot create a directory for PostgreSQL under " + stateDir + ": " + e.getMessage(), e);
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            run(List.of("chown", "-R", SYSTEM_USER + ":" + SYSTEM_USER, dir.toString()), logDir.resolve("postgres-initdb.log"));
        }
        List<String> initdb = new ArrayList<>(asUser(root));
        initdb.addAll(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
                "-U", USER, "-E", "UTF8", "--locale=C", "--no-sync"));
        run(initdb, logDir.resolve("postgres-initdb.log"));

        int port = LoopbackPorts.free();
        List<String> command = new ArrayList<>(asUser(root));
        command.addAll(List.of(bin.resolve("postgres").toString(), "-D", dir.resolve("data").toString(),
                // No Unix-domain socket (everything connects over TCP): its path must fit in 107 bytes, which a
                // state directory deep in a worktree's target/ exceeds, and postgres refuses to start then.
                "-p", Integer.toString(port), "-k", "",
                "-c", "listen_addresses=" + LoopbackPorts.HOST, "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=200",
                // The title would overwrite the environment block, where bin/leftover-servers finds the stack's marker.
                "-c", "update_process_title=off"));
        TetheredProcess process = TetheredProcess.start("postgres", command, Map.of(), dir, logDir.resolve("postgres.log"));
        try {
            Readiness.await(process, READY_TIMEOUT, () -> authenticates(port));
        } catch (RuntimeException e) {
            process.stop();
            throw e;
        }
        return new PostgresServer(process, dir, port, Duration.ofNanos(System.nanoTime() - began));
    }

    /**
     * As root: run as the {@code postgres} system user. The parent-death signal is set again after the user
     * changes, because changing credentials clears the one {@link TetheredProcess} set.
     */
    private static List<String> asUser(boolean root) {
        return root ? List.of("/usr/bin/setpriv", "--reuid=" + SYSTEM_USER, "--regid=" + SYSTEM_USER, "--clear-groups",
                "--pdeathsig", "TERM", "--") : List.of();
    }

    private static void run(List<String> command, Path logFile) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new LocalStackException(command.get(0) + " took more than 60 s; see " + logFile);
            }
            if (p.exitValue() != 0) {
                throw new LocalStackException(String.join(" ", command) + " failed (exit " + p.exitValue() + "); see " + logFile);
            }
        } catch (IOException e) {
            throw new LocalStackException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while running " + command.get(0), e);
        }
    }

    /**
     * One startup message of the PostgreSQL wire protocol over a plain socket: 'R' (authentication OK) means
     * the server accepts sessions. Readiness needs no JDBC driver.
     */
    static boolean authenticates(int port) throws IOException {
        byte[] params = ("user\0" + USER + "\0database\0" + DATABASE + "\0\0").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer startup = ByteBuffer.allocate(8 + params.length).putInt(8 + params.length).putInt(196608).put(params);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LoopbackPorts.HOST, port), 200);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write(startup.array());
            out.flush();
            return socket.getInputStream().read() == 'R';
        }
    }

    @Override
    public String name() {
        return "postgres";
    }

    /** {@code postgresql://127.0.0.1:PORT/postgres}. */
    @Override
    public URI endpoint() {
        return URI.create("postgresql://" + LoopbackPorts.HOST + ":" + port + "/" + DATABASE);
    }

    /** The JDBC URL of the cluster's database, user {@link #USER}, no password. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + LoopbackPorts.HOST + ":" + port + "/" + DATABASE + "?user=" + USER;
    }

    public int port() {
        return port;
    }

    @Override
    public Duration startupTime() {
        return startupTime;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * SIGSTOP to the server and every backend process: connections stay open and nothing answers, as a hung
     * database host would (fault tests). Backends started while paused are not stopped, but none can start: the
     * postmaster that forks them is frozen.
     */
    public synchronized void pause() {
        signalFamily("STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        signalFamily("CONT");
        paused = false;
    }

    private void signalFamily(String signal) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        ProcessHandle.of(process.pid()).ifPresent(h -> h.descendants().forEach(d -> command.add(Long.toString(d.pid()))));
        command.add(Long.toString(process.pid()));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                throw new LocalStackException("kill -" + signal + " of postgres did not return");
            }
        } catch (IOException e) {
            throw new LocalStackException("cannot signal postgres", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while signalling postgres", e);
        }
    }

    @Override
    public void close() {
        if (paused) {
            resume();
        }
        process.stop();
        deleteQuietly(dir);
    }

    /** The cluster's files go with the server: a stack's database never outlives it. */
    private static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // Left for 'mvn clean': it is under the build directory.
        }
    }
}
