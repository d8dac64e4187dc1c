package io.streamwreck.checker;

import io.streamwreck.core.InvalidKeyException;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.streamwreck.ledger.CheckpointsUnavailableException;
import io.streamwreck.ledger.LedgerUnavailableException;

import java.util.Locale;
import java.util.Map;

/**
 * The HTTP side of the checker: routes an API Gateway proxy event to {@code POST /reconcile} or
 * {@code GET /health}, and turns every outcome into a response — 200 with the answer, 4xx naming what is wrong
 * with the request, 503 when the ledger does not answer, and 500 only for a fault of the checker itself. No
 * response ever carries a stack trace.
 */
final class CheckerApi {

    static final String RECONCILE = "/reconcile";
    static final String HEALTH = "/health";
    /** Seconds a client should wait before retrying after a 503. */
    private static final String RETRY_AFTER_SECONDS = "5";

    private final CheckerService service;
    private final ReconcileRequestReader reader;

    CheckerApi(CheckerService service) {
        this.service = service;
        this.reader = new ReconcileRequestReader(service.defaultStream(), service.defaultApplication(), RequestLimits.MAX_KEYS);
    }

    /**
     * What became of one request, for the response and the log line.
     *
     * @param request the validated request, when it got that far
     * @param result  the answer, when there is one
     * @param error   the error code of a refused or failed request
     * @param failure an unexpected exception (500), for the log only
     */
    record Outcome(APIGatewayProxyResponseEvent response, String route, ReconcileRequest request,
                   Reconciliation result, String error, Throwable failure) {
        int status() {
            return response.getStatusCode();
        }
    }

    Outcome handle(APIGatewayProxyRequestEvent event) {
        String route = route(event);
        String method = event.getHttpMethod() == null ? "" : event.getHttpMethod().toUpperCase(Locale.ROOT);
        try {
            switch (route) {
                case RECONCILE -> {
                    requireMethod(method, "POST", route);
                    return reconcile(event, route);
                }
                case HEALTH -> {
                    requireMethod(method, "GET", route);
                    return health(route);
                }
                default -> throw new ApiException(404, "NotFound", "no resource " + InvalidKeyException.describe(route)
                        + "; the checker serves POST " + RECONCILE + " and GET " + HEALTH, null, Map.of());
            }
        } catch (ApiException e) {
            return new Outcome(JsonResponses.error(e), route, null, null, e.code(), null);
        } catch (RuntimeException e) {
            return new Outcome(internalError(), route, null, null, "InternalError", e);
        }
    }

    private Outcome reconcile(APIGatewayProxyRequestEvent event, String route) {
        ReconcileRequest request = null;
        try {
            request = reader.read(RequestBodies.text(event, RequestLimits.MAX_BODY_BYTES));
            Reconciliation result = service.reconcile(request);
            String body = ReconciliationWriter.write(result);
            if (!RequestLimits.responseFits(body)) {
                throw ApiException.tooLarge("ResultTooLarge", "the answer to these " + result.checked() + " keys lists "
                        + (result.unprocessed().size() + result.duplicated().size() + result.ambiguous().size())
                        + " of them and would exceed Lambda's 6 MiB response limit; send fewer keys per request");
            }
            return new Outcome(JsonResponses.json(200, body), route, request, result, null, null);
        } catch (ApiException e) {
            return new Outcome(JsonResponses.error(e), route, request, null, e.code(), null);
        } catch (LedgerUnavailableException e) {
            return new Outcome(ledgerUnavailable(), route, request, null, "LedgerUnavailable", e);
        } catch (CheckpointsUnavailableException e) {
            // Without the checkpoints lag cannot be told from loss: answering anyway would report a backlog as drift.
            return new Outcome(JsonResponses.error(503, "LeaseTableUnavailable", e.getMessage() + "; try again shortly",
                    Map.of("Retry-After", RETRY_AFTER_SECONDS)), route, request, null, "LeaseTableUnavailable", e);
        } catch (RuntimeException e) {
            return new Outcome(internalError(), route, request, null, "InternalError", e);
        }
    }

    private Outcome health(String route) {
        if (service.healthy()) {
            String body = JsonResponses.object(g -> {
                g.writeStringField("Status", "ok");
                if (service.defaultStream() != null) {
                    g.writeStringField("Stream", service.defaultStream());
                }
                if (service.defaultApplication() != null) {
                    g.writeStringField("Application", service.defaultApplication());
                }
            });
            return new Outcome(JsonResponses.json(200, body), route, null, null, null, null);
        }
        return new Outcome(ledgerUnavailable(), route, null, null, "LedgerUnavailable", null);
    }

    private static APIGatewayProxyResponseEvent internalError() {
        return JsonResponses.error(500, "InternalError", "the checker failed unexpectedly; its log has the details "
                + "(look for the request id)", Map.of());
    }

    private static APIGatewayProxyResponseEvent ledgerUnavailable() {
        return JsonResponses.error(503, "LedgerUnavailable", "the ledger (Redis) did not answer; try again shortly",
                Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }

    private static void requireMethod(String method, String allowed, String route) {
        if (!method.equals(allowed)) {
            throw new ApiException(405, "MethodNotAllowed", (method.isEmpty() ? "no method" : method) + " is not allowed on "
                    + route + "; use " + allowed + " " + route, null, Map.of("Allow", allowed));
        }
    }

    /**
     * The route: the resource when API Gateway matched a concrete one ({@code /reconcile}), else the path
     * (behind a greedy {@code /{proxy+}} resource, as locally), without a trailing slash.
     */
    static String route(APIGatewayProxyRequestEvent event) {
        String resource = event.getResource();
        String route = resource != null && !resource.contains("{") ? resource : event.getPath();
        if (route == null || route.isEmpty()) {
            return "/";
        }
        return route.length() > 1 && route.endsWith("/") ? route.substring(0, route.length() - 1) : route;
    }
}
