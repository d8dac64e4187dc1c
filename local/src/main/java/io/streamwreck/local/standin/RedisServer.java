package io.streamwreck.local.standin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real {@code redis-server} (Debian's package) on 127.0.0.1, in memory only. */
final class RedisServer implements StandIn {

    static final String INSTALL_HINT = "Install it with 'apt-get install -y redis-server redis-tools' "
            + "('make deps' does this), or point $REDIS_SERVER at a redis-server binary.";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final TetheredProcess process;
    private final int port;
    private final Duration startupTime;

    private RedisServer(TetheredProcess process, int port, Duration startupTime) {
        this.process = process;
        this.port = port;
        this.startupTime = startupTime;
    }

    static RedisServer start(Path logDir) {
        return start(logDir, "redis", List.of());
    }

    /** Starts one server; {@code extraArgs} are passed to redis-server (e.g. cluster mode settings). */
    static RedisServer start(Path logDir, String logName, List<String> extraArgs) {
        Path binary = Executables.require("redis-server", "REDIS_SERVER", INSTALL_HINT);
        return PortConflicts.retry(() -> startOnce(binary, logDir, logName, extraArgs));
    }

    private static RedisServer startOnce(Path binary, Path logDir, String logName, List<String> extraArgs) {
        int port = LoopbackPorts.free();
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--bind", LoopbackPorts.HOST, "--port", Integer.toString(port),
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
                "--dir", logDir.toAbsolutePath().toString(), "--logfile", ""));
        command.addAll(extraArgs);
        long began = System.nanoTime();
        TetheredProcess process = TetheredProcess.start(logName, command, Map.of(), logDir, logDir.resolve(logName + ".log"));
        try {
            Readiness.await(process, READY_TIMEOUT, () -> "+PONG".equals(ping(port)));
        } catch (RuntimeException e) {
            process.stop();
            throw e;
        }
        return new RedisServer(process, port, Duration.ofNanos(System.nanoTime() - began));
    }

    /** One PING over a plain socket in RESP: readiness needs no client library. */
    static String ping(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LoopbackPorts.HOST, port), 200);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\r') {
                reply.append((char) c);
            }
            return reply.toString();
        }
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public URI endpoint() {
        return URI.create("redis://" + LoopbackPorts.HOST + ":" + port);
    }

    int port() {
        return port;
    }

    @Override
    public Duration startupTime() {
        return startupTime;
    }

    TetheredProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop();
    }
}
