package io.streamwreck.checker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.streamwreck.core.config.StreamwreckConfig;

import java.util.Map;

/**
 * The checker Lambda behind API Gateway (DESIGN.md "Checker API"): {@code POST /reconcile} classifies record
 * keys against the ledger, {@code GET /health} says whether the ledger answers.
 *
 * <p>A thin handler: the ledger connection and the service are built once, in the constructor, and shared by
 * every invocation; each request is routed by {@link CheckerApi} and logged as one JSON line.
 *
 * <p>Configuration (environment): {@code REDIS_URL}, {@code REDIS_CLUSTER}, {@code LEDGER_TTL}, and the
 * default scope for requests that name none, {@code STREAM_NAME} and {@code APP_NAME}.
 */
public final class CheckerHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, AutoCloseable {

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
        this(CheckerService.connect(StreamwreckConfig.from(environment)), true);
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

    /** Closes the ledger connection when this handler opened it (Lambda never calls this; local runtimes do). */
    @Override
    public void close() {
        if (ownsService) {
            service.close();
        }
    }
}
