package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves one API Gateway Lambda handler over HTTP on 127.0.0.1, the way a REST API with a greedy
 * {@code ANY /{proxy+}} route and a Lambda proxy integration would: each request becomes an
 * {@link APIGatewayProxyRequestEvent} (see {@link ApiGatewayEvents}), the handler's
 * {@link APIGatewayProxyResponseEvent} becomes the HTTP response.
 *
 * <p>API Gateway's and Lambda's own limits apply, with their answers: a request body over 10 MB → 413
 * {@code {"message":"Request Too Long"}}; a handler that throws, returns no status or a response over Lambda's
 * 6 MB limit → 502 {@code {"message":"Internal server error"}}; one that runs past the timeout (API Gateway's
 * 29 s by default) → 504 {@code {"message":"Endpoint request timed out"}}.
 *
 * <pre>{@code
 * try (ApiGatewayServer checker = ApiGatewayServer.fromDeploymentPackage("checker",
 *         Path.of("checker-lambda/target/checker-lambda.jar"), "io.streamwreck.checker.CheckerHandler", env)
 *         .start(8080)) { … }
 * }</pre>
 *
 * <p>Open by default, as {@code make up} serves it. {@link #requireSignatures(SigV4Verifier)} makes it an API with
 * IAM authorisation on every route, as the template deploys it: a request without a valid SigV4 signature for
 * {@code execute-api} gets API Gateway's 403 (see {@link SigV4Verifier}) and never reaches the function.
 */
public final class ApiGatewayServer implements AutoCloseable {

    /** The port {@code make up} serves the checker on. */
    public static final int DEFAULT_PORT = 8080;
    /** API Gateway's maximum integration timeout for REST APIs. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(29);
    /** API Gateway's payload limit. */
    public static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;
    /** Lambda's limit for a synchronous invocation's response. */
    public static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
    /** The stage name in {@code requestContext.stage}. */
    public static final String STAGE = "local";

    private static final Logger log = LoggerFactory.getLogger(ApiGatewayServer.class);
    private static final Set<String> HOP_BY_HOP = Set.of("content-length", "transfer-encoding", "connection", "date");
    private static final String JSON = "application/json";

    static {
        // The JDK server leaves Nagle's algorithm on by default: with delayed ACKs, a response written as headers
        // and body can stall ~40 ms per request. Only takes effect if no HttpServer was created before.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String functionName;
    private final RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler;
    private final AutoCloseable owned;
    private final Duration timeout;
    private final Object lock = new Object();
    private HttpServer server;
    private ExecutorService exchanges;
    private ScheduledExecutorService watchdog;
    private final Map<String, InFlight> inFlights = new ConcurrentHashMap<>();
    private volatile SigV4Verifier signatures;
    private boolean closed;

    /**
     * Serves {@code handler} (which the caller keeps and closes) with API Gateway's 29 s timeout.
     *
     * @param functionName the function's name, for its Lambda context and log lines
     */
    public ApiGatewayServer(String functionName,
                            RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler) {
        this(functionName, handler, DEFAULT_TIMEOUT);
    }

    /** Serves {@code handler} (which the caller keeps and closes); invocations running past {@code timeout} get 504. */
    public ApiGatewayServer(String functionName,
                            RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler,
                            Duration timeout) {
        this(functionName, handler, null, timeout);
    }

    private ApiGatewayServer(String functionName,
                             RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler,
                             AutoCloseable owned, Duration timeout) {
        this.functionName = Objects.requireNonNull(functionName, "functionName");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.owned = owned;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Loads {@code handlerClass} from this process's class path and serves it; {@link #close()} closes it.
     *
     * @param environment the function's environment variables (see {@link ApiGatewayHandlerLoader})
     * @throws IllegalArgumentException when the class is missing or not an API Gateway proxy handler
     * @throws IllegalStateException    when its constructor fails (a Lambda init error)
     */
    public static ApiGatewayServer fromClassPath(String functionName, String handlerClass, Map<String, String> environment) {
        ApiGatewayHandlerLoader.Loaded loaded = ApiGatewayHandlerLoader.fromClassPath(handlerClass, environment);
        return new ApiGatewayServer(functionName, loaded.handler(), loaded.resources(), DEFAULT_TIMEOUT);
    }

    /**
     * Loads {@code handlerClass} from a deployment package (the function's shaded jar), isolated from this
     * process's libraries, and serves it; {@link #close()} closes it.
     *
     * @param environment the function's environment variables (see {@link ApiGatewayHandlerLoader})
     */
    public static ApiGatewayServer fromDeploymentPackage(String functionName, Path deploymentPackage, String handlerClass,
                                                         Map<String, String> environment) {
        ApiGatewayHandlerLoader.Loaded loaded =
                ApiGatewayHandlerLoader.fromDeploymentPackage(deploymentPackage, handlerClass, environment);
        return new ApiGatewayServer(functionName, loaded.handler(), loaded.resources(), DEFAULT_TIMEOUT);
    }

    /**
     * From now on every request must carry a valid SigV4 signature, as with {@code AuthorizationType: AWS_IAM}.
     *
     * @return this server
     */
    public ApiGatewayServer requireSignatures(SigV4Verifier verifier) {
        this.signatures = Objects.requireNonNull(verifier, "verifier");
        return this;
    }

    /** Whether requests must be signed. */
    public boolean requiresSignatures() {
        return signatures != null;
    }

    /**
     * Starts listening on 127.0.0.1.
     *
     * @param port the port, or 0 for any free one (see {@link #port()})
     * @return this server
     * @throws UncheckedIOException when the port is taken or cannot be bound
     */
    public ApiGatewayServer start(int port) {
        synchronized (lock) {
            if (closed || server != null) {
                throw new IllegalStateException("the server for " + functionName + " was already started or closed");
            }
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            HttpServer http;
            try {
                http = HttpServer.create(address, 128);
            } catch (BindException e) {
                throw new UncheckedIOException("cannot serve " + functionName + " on 127.0.0.1:" + port + ": "
                        + e.getMessage() + " (is another server using the port? choose another one)", e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve " + functionName + " on 127.0.0.1:" + port + ": " + e, e);
            }
            // Unbounded, as Lambda scales out: a function stuck past its timeout keeps its thread, not the server's.
            exchanges = Executors.newCachedThreadPool(daemonThreads("apigw-" + functionName));
            watchdog = Executors.newSingleThreadScheduledExecutor(daemonThreads("apigw-" + functionName + "-watchdog"));
            // Checked often enough that a 504 comes at most a quarter of the timeout (at most 250 ms) late.
            long every = Math.max(10, Math.min(250, timeout.toMillis() / 4));
            watchdog.scheduleWithFixedDelay(this::answerOverdue, every, every, TimeUnit.MILLISECONDS);
            http.setExecutor(exchanges);
            http.createContext("/", this::serve);
            http.start();
            server = http;
            log.info("serving Lambda function {} on {}", functionName, url());
            return this;
        }
    }

    /** The port it listens on. */
    public int port() {
        synchronized (lock) {
            if (server == null) {
                throw new IllegalStateException("the server for " + functionName + " is not started");
            }
            return server.getAddress().getPort();
        }
    }

    /** {@code http://127.0.0.1:<port>}, no trailing slash. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /**
     * One request, on the server's exchange thread: the handler runs on this same thread (no hand-off on the way
     * in or out). While it runs the request is in flight; {@link #answerOverdue()} answers 504 for it once it is
     * past the timeout, and whichever answers first wins.
     */
    private void serve(HttpExchange exchange) {
        String requestId = UUID.randomUUID().toString();
        InFlight inFlight = null;
        try {
            byte[] body = readBody(exchange);
            if (body == null) {
                answer(exchange, new AtomicBoolean(), Reply.gateway(413, "Request Too Long"), requestId);
                return;
            }
            URI uri = exchange.getRequestURI();
            SigV4Verifier verifier = signatures;
            if (verifier != null) {
                Optional<SigV4Verifier.Refusal> refusal = verifier.check(exchange.getRequestMethod(), uri.getRawPath(),
                        uri.getRawQuery(), exchange.getRequestHeaders(), body);
                if (refusal.isPresent()) {
                    log.info("{} {} {}: refused, {} ({})", functionName, exchange.getRequestMethod(), uri.getRawPath(),
                            refusal.get().errorType(), refusal.get().message());
                    answer(exchange, new AtomicBoolean(), Reply.refused(refusal.get()), requestId);
                    return;
                }
            }
            ApiGatewayEvents.HttpRequest request = new ApiGatewayEvents.HttpRequest(exchange.getRequestMethod(),
                    uri.getRawPath(), uri.getRawQuery(), exchange.getRequestHeaders(), body,
                    exchange.getRemoteAddress().getAddress().getHostAddress(), exchange.getRequestHeaders().getFirst("Host"));
            APIGatewayProxyRequestEvent event = ApiGatewayEvents.request(request, STAGE, requestId, Instant.now());
            LocalLambdaContext context = new LocalLambdaContext(functionName, requestId, timeout);
            inFlight = new InFlight(exchange, requestId, event.getHttpMethod() + " " + event.getPath(),
                    System.nanoTime() + timeout.toNanos(), new AtomicBoolean());
            inFlights.put(requestId, inFlight);
            Reply reply = invoke(event, context, requestId);
            answer(exchange, inFlight.answered(), reply, requestId);
        } catch (IOException e) {
            log.debug("{} {}: the client went away: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
            exchange.close();
        } catch (RuntimeException e) {
            log.error("{} {}: could not serve the request", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            exchange.close();
        } finally {
            if (inFlight != null) {
                inFlights.remove(requestId);
            }
        }
    }

    /** A request whose function is running. */
    private record InFlight(HttpExchange exchange, String requestId, String what, long deadlineNanos, AtomicBoolean answered) {
    }

    /**
     * Answers 504 for every request whose function ran past the timeout, as API Gateway does; the function
     * itself keeps its thread until it returns, as a Lambda invocation would run on. Runs periodically on one
     * thread — not a timer per request, which would cost a thread wake-up on every request.
     */
    private void answerOverdue() {
        long now = System.nanoTime();
        for (InFlight f : inFlights.values()) {
            if (now - f.deadlineNanos() >= 0
                    && answer(f.exchange(), f.answered(), Reply.gateway(504, "Endpoint request timed out"), f.requestId())) {
                log.warn("{} {}: the function did not answer within {} ms (request {})", functionName, f.what(),
                        timeout.toMillis(), f.requestId());
            }
        }
    }

    /** Sends {@code reply} unless the request was answered already; true when this call answered it. */
    private static boolean answer(HttpExchange exchange, AtomicBoolean answered, Reply reply, String requestId) {
        if (!answered.compareAndSet(false, true)) {
            return false;
        }
        try {
            send(exchange, reply, requestId);
        } catch (IOException e) {
            log.debug("{} {}: the client went away: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
        } finally {
            exchange.close();
        }
        return true;
    }

    /** The request body, or null when it is over API Gateway's limit (read no further than the limit). */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        long declared = contentLength(exchange);
        if (declared >= 0 && declared <= MAX_REQUEST_BYTES) {
            // The usual case: one buffer of the right size, filled in place.
            byte[] body = new byte[(int) declared];
            int read = in.readNBytes(body, 0, body.length);
            return read == body.length ? body : Arrays.copyOf(body, read);
        }
        byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
        return body.length > MAX_REQUEST_BYTES ? null : body;
    }

    private static long contentLength(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("Content-Length");
        try {
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Calls the handler and turns what it did into API Gateway's answer. */
    private Reply invoke(APIGatewayProxyRequestEvent event, LocalLambdaContext context, String requestId) {
        APIGatewayProxyResponseEvent response;
        try {
            response = handler.handleRequest(event, context);
        } catch (RuntimeException | Error e) {
            log.warn("{} {} {}: the function failed (request {}); API Gateway answers 502", functionName,
                    event.getHttpMethod(), event.getPath(), requestId, e);
            return Reply.gateway(502, "Internal server error");
        }
        if (response == null || response.getStatusCode() == null) {
            log.warn("{}: the function returned {} without a statusCode (request {}); API Gateway answers 502",
                    functionName, response == null ? "null" : "a response", requestId);
            return Reply.gateway(502, "Internal server error");
        }
        byte[] responseBody;
        try {
            responseBody = ApiGatewayEvents.responseBody(response.getBody(), response.getIsBase64Encoded());
        } catch (IllegalArgumentException e) {
            log.warn("{}: the function's body is marked base64 but is not (request {})", functionName, requestId);
            return Reply.gateway(502, "Internal server error");
        }
        if (responseBody.length > MAX_RESPONSE_BYTES) {
            log.warn("{}: a response of {} bytes exceeds Lambda's {} byte limit (request {}); on AWS this fails with 502",
                    functionName, responseBody.length, MAX_RESPONSE_BYTES, requestId);
            return Reply.gateway(502, "Internal server error");
        }
        return new Reply(response.getStatusCode(), headersOf(response), responseBody);
    }

    /** API Gateway's merge: every multi-value header, plus each single-value header not already given. */
    private static Map<String, List<String>> headersOf(APIGatewayProxyResponseEvent response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((k, v) -> {
                if (v != null) {
                    headers.put(k, new ArrayList<>(v));
                }
            });
        }
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((k, v) -> {
                if (v != null && headers.keySet().stream().noneMatch(k::equalsIgnoreCase)) {
                    headers.put(k, List.of(v));
                }
            });
        }
        return headers;
    }

    private static void send(HttpExchange exchange, Reply reply, String requestId) throws IOException {
        Headers out = exchange.getResponseHeaders();
        // As API Gateway does: the id to find the invocation's log lines by.
        out.set("x-amzn-RequestId", requestId);
        reply.headers.forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                out.put(name, values);
            }
        });
        boolean noBody = "HEAD".equalsIgnoreCase(exchange.getRequestMethod()) || reply.status == 204
                || reply.status == 304 || reply.body.length == 0;
        exchange.sendResponseHeaders(reply.status, noBody ? -1 : reply.body.length);
        if (!noBody) {
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(reply.body);
            }
        }
    }

    /** Stops listening, waits for nothing, and closes the handler when this server loaded it. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (server != null) {
                server.stop(0);
                exchanges.shutdownNow();
                watchdog.shutdownNow();
                log.info("stopped serving Lambda function {}", functionName);
            }
        }
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                log.warn("closing Lambda function {}: {}", functionName, e.toString());
            }
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** What goes back to the client. */
    private record Reply(int status, Map<String, List<String>> headers, byte[] body) {
        /** An answer of API Gateway's own, in its format. */
        static Reply gateway(int status, String message) {
            return new Reply(status, Map.of("Content-Type", List.of(JSON)),
                    ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
        }

        /** API Gateway's 403 for a request IAM authorisation refuses, with its error type header. */
        static Reply refused(SigV4Verifier.Refusal refusal) {
            String message = refusal.message().replace("\\", "\\\\").replace("\"", "\\\"");
            return new Reply(403, Map.of("Content-Type", List.of(JSON), "x-amzn-ErrorType", List.of(refusal.errorType())),
                    ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
        }
    }
}
