package io.streamwreck.adapter.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamwreck.adapter.AdapterService;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The adapter's HTTP API on Jetty, bound to 127.0.0.1 unless told otherwise:
 * {@code POST /ingest}, {@code GET /status}, {@code GET /_health}, {@code GET /_ready}, {@code POST /shutdown}.
 * Every answer is JSON; a refused request gets {@code {"Error": "<Code>", "Message": "<what is wrong>"}} with a 4xx
 * (bad input) or 503 (maintenance, draining, a dependency not answering) status — never a stack trace.
 */
public final class AdapterHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdapterHttpServer.class);
    /** The largest webhook body: an S3 event of 100 records is far smaller. */
    public static final int MAX_BODY_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .setPropertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE);
    /** curl's -d sends a form type; SNS sends text/plain. The body must be JSON whatever the label says. */
    private static final Set<String> ACCEPTED_TYPES = Set.of("application/json", "text/plain", "application/x-www-form-urlencoded");

    private final Server server;
    private final ServerConnector connector;

    public AdapterHttpServer(String host, int port, AdapterService service, Runnable shutdownRequested) {
        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("adapter-http");
        threads.setDaemon(true);
        this.server = new Server(threads);
        this.connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Routes(service, new WebhookBodies(service.routes()), shutdownRequested));
        server.setStopTimeout(2_000);
    }

    public void start() throws Exception {
        server.start();
    }

    public URI uri() {
        return URI.create("http://" + connector.getHost() + ":" + connector.getLocalPort());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            log.debug("stopping the HTTP server: {}", e.toString());
        }
    }

    private static final class Routes extends Handler.Abstract {

        private static final Map<String, String> ALLOWED = Map.of("/ingest", "POST", "/status", "GET", "/_health", "GET",
                "/_ready", "GET", "/shutdown", "POST");

        private final AdapterService service;
        private final WebhookBodies bodies;
        private final Runnable shutdownRequested;

        Routes(AdapterService service, WebhookBodies bodies, Runnable shutdownRequested) {
            this.service = service;
            this.bodies = bodies;
            this.shutdownRequested = shutdownRequested;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status;
            Object body;
            try {
                String path = Request.getPathInContext(request);
                String method = request.getMethod();
                switch (path) {
                    case "/ingest" -> {
                        allow(method, "POST");
                        List<AdapterService.Registered> registered = service.register(bodies.parse(readBody(request), tableParam(request)));
                        Map<String, Object> out = new LinkedHashMap<>();
                        out.put("IngestId", registered.isEmpty() ? null : registered.get(0).ingestId());
                        out.put("Ingests", registered);
                        status = 202;
                        body = out;
                    }
                    case "/status" -> {
                        allow(method, "GET");
                        status = 200;
                        body = service.status();
                    }
                    case "/_health" -> {
                        allow(method, "GET");
                        status = 200;
                        body = Map.of("Status", "up");
                    }
                    case "/_ready" -> {
                        allow(method, "GET");
                        Map<String, Object> ready = service.readiness();
                        status = Boolean.TRUE.equals(ready.get("Ready")) ? 200 : 503;
                        body = ready;
                    }
                    case "/shutdown" -> {
                        allow(method, "POST");
                        shutdownRequested.run();
                        status = 202;
                        body = Map.of("Status", "draining");
                    }
                    default -> throw new WebhookException(404, "NotFound", "no such resource: " + path
                            + " (POST /ingest, GET /status, GET /_health, GET /_ready, POST /shutdown)");
                }
            } catch (WebhookException e) {
                status = e.status();
                body = error(e.code(), e.getMessage());
                if (e.status() == 405) {
                    response.getHeaders().put(HttpHeader.ALLOW, ALLOWED.get(Request.getPathInContext(request)));
                }
            } catch (RuntimeException e) {
                log.error("unexpected failure serving {} {}", request.getMethod(), Request.getPathInContext(request), e);
                status = 500;
                body = error("InternalError", "the adapter failed: " + e);
            }
            byte[] bytes;
            try {
                bytes = JSON.writeValueAsBytes(body);
            } catch (IOException e) {
                bytes = "{\"Error\":\"InternalError\",\"Message\":\"cannot encode the answer\"}".getBytes(StandardCharsets.UTF_8);
                status = 500;
            }
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
            response.write(true, ByteBuffer.wrap(bytes), callback);
            return true;
        }

        private static void allow(String method, String allowed) {
            if (!allowed.equals(method)) {
                throw new WebhookException(405, "MethodNotAllowed", method + " is not allowed here; only " + allowed);
            }
        }

        private static Optional<String> tableParam(Request request) {
            Fields query = Request.extractQueryParameters(request);
            String table = query.getValue("table");
            return table == null || table.isBlank() ? Optional.empty() : Optional.of(table);
        }

        private static String readBody(Request request) {
            String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            if (type != null) {
                String base = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
                if (!base.isEmpty() && !ACCEPTED_TYPES.contains(base) && !base.endsWith("+json")) {
                    throw new WebhookException(415, "UnsupportedMediaType", "content type \"" + base
                            + "\" is not accepted; send JSON (application/json)");
                }
                String charset = type.toLowerCase(Locale.ROOT).replaceAll(".*charset=\"?([^\";]+).*|.*", "$1");
                if (!charset.isEmpty() && !charset.equals("utf-8") && !charset.equals("utf8") && !charset.equals("us-ascii")) {
                    throw new WebhookException(415, "UnsupportedCharset", "charset \"" + charset + "\" is not accepted; send UTF-8");
                }
            }
            long declared = request.getLength();
            if (declared > MAX_BODY_BYTES) {
                throw tooLarge(declared);
            }
            byte[] bytes;
            try (InputStream in = Content.Source.asInputStream(request)) {
                bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            } catch (IOException e) {
                throw new WebhookException(400, "UnreadableBody", "the body could not be read: " + e.getMessage());
            }
            if (bytes.length > MAX_BODY_BYTES) {
                throw tooLarge(-1);
            }
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new WebhookException(400, "InvalidUtf8", "the body is not valid UTF-8");
            }
        }

        private static WebhookException tooLarge(long declared) {
            return new WebhookException(413, "BodyTooLarge", "the body is " + (declared < 0 ? "more than " + MAX_BODY_BYTES : declared)
                    + " bytes; at most " + MAX_BODY_BYTES + " bytes are accepted");
        }

        private static Map<String, String> error(String code, String message) {
            Map<String, String> e = new LinkedHashMap<>();
            e.put("Error", code);
            e.put("Message", message);
            return e;
        }
    }
}
