package io.streamwreck.checker;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.KeyStatus;
import io.streamwreck.ledger.Scope;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Runs the request's CPU-bound paths once on built-in fixtures, without the ledger and with no effect outside
 * the process (log lines are built, not logged): {@link #essentials} during init, {@link #everything} before a
 * SnapStart snapshot.
 */
final class CheckerPriming {

    private static final String SHARD = "shardId-000000000000";
    private static final String SEQ_A = "49668563617890417520316213853085632573939718373548113922";
    private static final String SEQ_B = "49668563617890417520316213854294558393554347548254289922";

    private CheckerPriming() {
    }

    /**
     * What the first request needs anyway: a qualified-key request read, an answer with every list written, its
     * log line's JSON. Init runs this on the main thread while the Redis connection is opened on another.
     */
    static void essentials() {
        ReconcileRequestReader reader = new ReconcileRequestReader("priming", "priming", RequestLimits.MAX_KEYS);
        ReconcileRequest request = reader.read(body(event("{\"Stream\":\"priming\",\"Application\":\"priming\",\"Keys\":[\""
                + SHARD + ":" + SEQ_A + "\",\"" + SHARD + ":" + SEQ_B + ":2\"]}", false)));

        Scope scope = new Scope("priming", "priming");
        RecordKey a = RecordKey.of(SHARD, SEQ_A);
        RecordKey b = RecordKey.of(SHARD, SEQ_B, 2);
        Reconciliation answer = new Reconciliation.Builder(scope, KeyForm.QUALIFIED)
                .add(a.toString(), new KeyStatus(a, Classification.PROCESSED, 1))
                .add(b.toString(), new KeyStatus(b, Classification.DUPLICATED, 2))
                .add(SHARD + ":1", new KeyStatus(RecordKey.of(SHARD, "1"), Classification.SKIPPED, 0))
                .notFound(SHARD + ":2")
                .ambiguous(SEQ_B, List.of(SHARD, "shardId-000000000001"))
                .build();
        String written = ReconciliationWriter.write(answer);
        CheckerApi.Outcome ok = new CheckerApi.Outcome(JsonResponses.json(200, written), CheckerApi.RECONCILE, request,
                answer, null, null);
        RequestLogLine.of(event("", false), ok, "priming", 0);
    }

    /**
     * {@link #essentials}, and the other request shapes (bare numbers, a base64 body) and two requests that never
     * reach the ledger (an invalid key, an unknown path) through the router and its error bodies. Run before a
     * SnapStart snapshot.
     */
    static void everything(CheckerApi api) {
        essentials();
        ReconcileRequestReader reader = new ReconcileRequestReader("priming", "priming", RequestLimits.MAX_KEYS);
        reader.read(body(event("[\"" + SHARD + ":" + SEQ_A + "\",\"" + SHARD + ":" + SEQ_B + ":2\"]", false)));
        reader.read(body(event("[\"" + SEQ_A + "\",\"" + SEQ_B + "\"]", true)));
        CheckerApi.Outcome invalid = api.handle(event("[\"shardId-1:12a\"]", false));
        RequestLogLine.of(event("", false), invalid, "priming", 0);
        APIGatewayProxyRequestEvent elsewhere = new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath("/priming");
        RequestLogLine.of(elsewhere, api.handle(elsewhere), "priming", 0);
    }

    private static String body(APIGatewayProxyRequestEvent event) {
        return RequestBodies.text(event, RequestLimits.MAX_BODY_BYTES);
    }

    private static APIGatewayProxyRequestEvent event(String body, boolean base64) {
        return new APIGatewayProxyRequestEvent().withHttpMethod("POST").withPath(CheckerApi.RECONCILE)
                .withResource(CheckerApi.RECONCILE).withHeaders(Map.of("Content-Type", "application/json"))
                .withIsBase64Encoded(base64)
                .withBody(base64 ? Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) : body);
    }
}
