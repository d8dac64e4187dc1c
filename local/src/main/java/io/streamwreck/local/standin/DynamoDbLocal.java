package io.streamwreck.local.standin;

import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * DynamoDB Local (AWS's own, from Maven Central), in memory, served over HTTP on 127.0.0.1 from this JVM.
 *
 * <p>Its own {@code ServerRunner} always binds 0.0.0.0, so this builds the same request handler and puts
 * it behind a Jetty connector on loopback. It runs in-process (worker JVMs reach it over HTTP like any
 * DynamoDB endpoint): it dies with this JVM and so can never be orphaned. Telemetry is never configured,
 * so nothing is sent anywhere and no metadata file is written.
 */
final class DynamoDbLocal implements StandIn {

    private static final Logger log = LoggerFactory.getLogger(DynamoDbLocal.class);
    /** sqlite4java logs a harmless "unknown jar version" warning through java.util.logging at every start. */
    private static final java.util.logging.Logger SQLITE_LOG = java.util.logging.Logger.getLogger("com.almworks.sqlite4java");

    private final Server server;
    private final LocalDynamoDBRequestHandler requests;
    private final URI endpoint;
    private final Duration startupTime;

    private DynamoDbLocal(Server server, LocalDynamoDBRequestHandler requests, URI endpoint, Duration startupTime) {
        this.server = server;
        this.requests = requests;
        this.endpoint = endpoint;
        this.startupTime = startupTime;
    }

    static DynamoDbLocal start(Path logDir) {
        SQLITE_LOG.setLevel(java.util.logging.Level.SEVERE);
        boolean routed = routeLogTo(logDir.resolve("dynamodb-local.log"));
        try {
            return PortConflicts.retry(DynamoDbLocal::startOnce);
        } finally {
            // Log4j reads the property when a logger context is created: DynamoDB Local's exists now. Other
            // Log4j users in this JVM (a Lambda function hosted from its jar) must get their own configuration.
            if (routed) {
                System.clearProperty("log4j2.configurationFile");
            }
        }
    }

    /**
     * DynamoDB Local logs through Log4j 2, which nothing else here uses: unless the JVM already has a Log4j
     * configuration, send its log to a file beside the other servers' logs.
     */
    private static boolean routeLogTo(Path file) {
        if (System.getProperty("log4j2.configurationFile") != null || System.getProperty("log4j.configurationFile") != null) {
            return false;
        }
        String config = "<Configuration status=\"WARN\"><Appenders>"
                + "<File name=\"file\" fileName=\"" + file.toAbsolutePath() + "\" append=\"true\">"
                + "<PatternLayout pattern=\"%d{ISO8601} %-5level [%t] %c{1} - %msg%n\"/></File>"
                + "</Appenders><Loggers><Root level=\"info\"><AppenderRef ref=\"file\"/></Root></Loggers></Configuration>";
        try {
            Files.createDirectories(file.getParent());
            Path configFile = file.resolveSibling("dynamodb-local-log4j2.xml");
            Files.writeString(configFile, config, StandardCharsets.UTF_8);
            System.setProperty("log4j2.configurationFile", configFile.toAbsolutePath().toString());
            return true;
        } catch (IOException e) {
            log.warn("cannot write DynamoDB Local's log configuration: {}", e.toString());
            return false;
        }
    }

    private static DynamoDbLocal startOnce() {
        long began = System.nanoTime();
        int port = LoopbackPorts.free();
        LocalDynamoDBRequestHandler requests;
        Server server = new Server();
        try {
            // (port unused by the handler, in memory, no db path, one database shared by all credentials
            // and regions, no artificial CREATING/DELETING delays)
            requests = new LocalDynamoDBRequestHandler(0, true, null, true, false);
            ServerConnector connector = new ServerConnector(server);
            connector.setHost(LoopbackPorts.HOST);
            connector.setPort(port);
            server.addConnector(connector);
            ContextHandler context = new ContextHandler();
            context.setHandler(new LocalDynamoDBServerHandler(requests, null));
            server.setHandler(new ContextHandlerCollection(context));
            server.start();
        } catch (BindException e) {
            stopQuietly(server);
            throw new LocalStackException("DynamoDB Local: address already in use (port " + port + ")", e);
        } catch (IOException e) {
            stopQuietly(server);
            throw new LocalStackException("DynamoDB Local: " + e.getMessage(), e);
        } catch (Exception e) {
            stopQuietly(server);
            throw new LocalStackException("DynamoDB Local failed to start: " + e, e);
        }
        URI endpoint = URI.create("http://" + LoopbackPorts.HOST + ":" + port);
        try (DynamoDbClient dynamo = AwsClients.dynamoDb(endpoint)) {
            dynamo.listTables();
        } catch (RuntimeException e) {
            stopQuietly(server);
            throw new LocalStackException("DynamoDB Local started but does not answer: " + e.getMessage(), e);
        }
        return new DynamoDbLocal(server, requests, endpoint, Duration.ofNanos(System.nanoTime() - began));
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("DynamoDB Local did not stop cleanly: {}", e.toString());
        }
    }

    @Override
    public String name() {
        return "dynamodb";
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public void close() {
        stopQuietly(server);
        requests.shutdown();
        stopBackgroundJobs();
    }

    /**
     * DynamoDB Local's shutdown lets its background jobs (stream shard rollover) finish their current sleep,
     * up to minutes, on a non-daemon thread that keeps this JVM alive. Its job register has no public way to
     * stop them sooner, so interrupt the threads running them; the jobs end when interrupted.
     */
    private static void stopBackgroundJobs() {
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().startsWith("com.amazonaws.services.dynamodbv2.local.shared.jobs.")) {
                    thread.interrupt();
                    return;
                }
            }
        });
    }
}
