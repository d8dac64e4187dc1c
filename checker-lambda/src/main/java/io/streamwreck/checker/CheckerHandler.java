package io.streamwreck.checker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.streamwreck.core.config.StreamwreckConfig;
import io.streamwreck.ledger.LedgerClientStartup;
import org.crac.Core;
import org.crac.Resource;

import java.util.Map;

/**
 * The checker Lambda behind API Gateway (DESIGN.md "Checker API"): {@code POST /reconcile} classifies record
 * keys against the ledger, {@code GET /health} says whether the ledger answers.
 *
 * <p>A thin handler: the ledger connection and the service are built once, in the constructor, and shared by
 * every invocation; each request is routed by {@link CheckerApi} and logged as one JSON line.
 *
 * <p>Init opens the Redis connection on a thread of its own while the main thread runs the request's paths once
 * on fixtures ({@link CheckerPriming}), then waits for it (a Redis that cannot be reached is not an init error:
 * requests get 503 until it can).
 *
 * <p>SnapStart: the handler is a CRaC {@link Resource}. Before the snapshot it primes the request's paths again
 * and closes the Redis connection (a connection restored from a snapshot would be stale); after a restore it
 * opens a new one — or, when Redis cannot be reached then, the next request does (503 until it can).
 *
 * <p>Configuration (environment): {@code REDIS_URL}, {@code REDIS_CLUSTER}, {@code LEDGER_TTL}, and the
 * default scope for requests that name none, {@code STREAM_NAME} and {@code APP_NAME}.
 */
public final class CheckerHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, AutoCloseable, Resource {

    private final CheckerService service;
    private final CheckerApi api;
    private final boolean ownsService;

    /** What Lambda calls: configuration from the process environment. */
    public CheckerHandler() {
        this(System.getenv());
    }

    /**
     * With the function's environment variables given explicitly: the local runtime calls this one, since a
     * JVM cannot set its own environment.
     *
     * @throws io.streamwreck.core.config.ConfigException when a variable is missing or malformed (Redis that
     *                                                     cannot be reached yet is not an init error: requests get 503)
     */
    public CheckerHandler(Map<String, String> environment) {
        this(connect(environment), true);
        CheckerPriming.essentials();
        LedgerClientStartup.preloadConnectionClasses();
        service.awaitLedger();
        Core.getGlobalContext().register(this);
    }

    private static CheckerService connect(Map<String, String> environment) {
        StreamwreckConfig config = StreamwreckConfig.from(environment);
        LedgerClientStartup.apply();
        return CheckerService.connect(config);
    }

    /** Over a service the caller built and keeps (tests, benchmarks). */
    public CheckerHandler(CheckerService service) {
        this(service, false);
    }

    private CheckerHandler(CheckerService service, boolean ownsService) {
        this.service = service;
        this.api = new CheckerApi(service);
        this.ownsService = ownsService;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        long began = System.nanoTime();
        CheckerApi.Outcome outcome = api.handle(event == null ? new APIGatewayProxyRequestEvent() : event);
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(RequestLogLine.of(event == null ? new APIGatewayProxyRequestEvent() : event,
                    outcome, context.getAwsRequestId(), System.nanoTime() - began),
                    LogLevel.fromString(RequestLogLine.level(outcome.status())));
        }
        return outcome.response();
    }

    /**
     * SnapStart, before the snapshot: runs the request's paths on fixtures once more (no ledger, no output) and
     * closes the Redis connection this handler opened.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        CheckerPriming.everything(api);
        if (ownsService) {
            service.disconnect();
        }
    }

    /** SnapStart, after a restore: opens a new Redis connection now, or (Redis unreachable) on the next request. */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        if (ownsService) {
            service.reconnect();
        }
    }

    /** Whether this handler holds an open Redis connection (tests of the SnapStart hooks). */
    boolean connected() {
        return service.connected();
    }

    /** Closes the ledger connection when this handler opened it (Lambda never calls this; local runtimes do). */
    @Override
    public void close() {
        if (ownsService) {
            service.close();
        }
    }
}
