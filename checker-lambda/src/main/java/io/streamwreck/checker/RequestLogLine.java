package io.streamwreck.checker;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One structured (JSON) log line per request: what was asked, what was answered, how long it took. Never the
 * keys themselves, the body, or the Redis URL (it may carry an AUTH token).
 */
final class RequestLogLine {

    private RequestLogLine() {
    }

    static String of(APIGatewayProxyRequestEvent event, CheckerApi.Outcome outcome, String requestId, long nanos) {
        return JsonResponses.object(g -> {
            g.writeStringField("level", level(outcome.status()));
            g.writeStringField("message", (event.getHttpMethod() == null ? "-" : event.getHttpMethod()) + " "
                    + outcome.route() + " " + outcome.status());
            g.writeStringField("requestId", requestId);
            g.writeNumberField("status", outcome.status());
            if (outcome.error() != null) {
                g.writeStringField("error", outcome.error());
            }
            if (outcome.request() != null) {
                g.writeStringField("form", outcome.request().form().label());
                g.writeStringField("stream", outcome.request().scope().stream());
                g.writeStringField("application", outcome.request().scope().app());
                g.writeNumberField("keys", outcome.request().texts().size());
            }
            Reconciliation r = outcome.result();
            if (r != null) {
                g.writeNumberField("processed", r.processed());
                g.writeNumberField("skipped", r.skipped().size());
                g.writeNumberField("pending", r.pending().size());
                g.writeNumberField("undelivered", r.undelivered().size());
                g.writeNumberField("duplicated", r.duplicated().size());
                g.writeNumberField("ambiguous", r.ambiguous().size());
            }
            g.writeNumberField("ms", Math.round(nanos / 10_000.0) / 100.0);
            if (outcome.failure() != null) {
                g.writeStringField("exception", outcome.failure().toString());
                if (outcome.status() == 500) {
                    // Only an unexpected fault needs its trace, and only in the log.
                    StringWriter trace = new StringWriter();
                    outcome.failure().printStackTrace(new PrintWriter(trace));
                    g.writeStringField("stackTrace", trace.toString());
                }
            }
        });
    }

    static String level(int status) {
        if (status >= 500) {
            return "ERROR";
        }
        return status >= 400 ? "WARN" : "INFO";
    }
}
