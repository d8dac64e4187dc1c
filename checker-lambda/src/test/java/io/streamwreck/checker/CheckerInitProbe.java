package io.streamwreck.checker;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;

import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A cold start of the checker's deployment jar, as Lambda would run it, in a JVM of its own: {@code java -cp
 * checker-lambda.jar:<this class> io.streamwreck.checker.CheckerInitProbe STREAM KEYS} with the function's
 * environment ({@code REDIS_URL}, …). Constructs the handler as Lambda does (no-argument constructor) and
 * invokes it once with {@code POST /reconcile} of KEYS qualified keys of scope (STREAM, billing) — the keys
 * {@code NotifiedInitProbe STREAM KEYS} records — then prints on standard error {@code init_ms=…} (handler
 * construction to the first invocation returned), {@code jvm_ms=…} (JVM start to the same point), {@code cpu_ms=…}
 * (the JVM's CPU time until then, all threads) and
 * {@code processed=…} (from the answer).
 *
 * <p>Like {@code NotifiedInitProbe} it uses only the Lambda library's classes, so it runs unchanged against the
 * deployment jar of an older commit (bench/lambda-init.sh). The proxy event is built before the clock starts
 * (on Lambda the runtime builds it); closing the handler is not timed.
 */
public final class CheckerInitProbe {

    private CheckerInitProbe() {
    }

    public static void main(String[] args) {
        String stream = args[0];
        int keys = Integer.parseInt(args[1]);
        APIGatewayProxyRequestEvent event = event(stream, keys);

        long began = System.nanoTime();
        CheckerHandler handler = new CheckerHandler();
        APIGatewayProxyResponseEvent response = handler.handleRequest(event, new ProbeContext());
        long initNanos = System.nanoTime() - began;
        long jvmMillis = ManagementFactory.getRuntimeMXBean().getUptime();
        long cpuNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        handler.close();
        String body = response.getBody();
        if (response.getStatusCode() != 200 || !body.contains("\"Checked\":" + keys)) {
            System.err.println("probe: expected 200 with " + keys + " keys checked, got " + response.getStatusCode() + " "
                    + (body.length() > 300 ? body.substring(0, 300) + "…" : body));
            System.exit(1);
        }
        int at = body.indexOf("\"Processed\":");
        String processed = at < 0 ? "?" : body.substring(at + 12).split("[,}]", 2)[0];
        System.err.printf("init_ms=%.1f%njvm_ms=%d%ncpu_ms=%d%nprocessed=%s%n", initNanos / 1e6, jvmMillis, cpuNanos / 1_000_000, processed);
    }

    static APIGatewayProxyRequestEvent event(String stream, int count) {
        StringBuilder body = new StringBuilder(count * 80).append("{\"Stream\":\"").append(stream)
                .append("\",\"Application\":\"billing\",\"Keys\":[");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : ",").append("\"shardId-000000000000:").append(kinesisLocalSequenceNumber(i)).append('"');
        }
        body.append("]}");
        APIGatewayProxyRequestEvent.ProxyRequestContext requestContext = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withRequestId(UUID.randomUUID().toString()).withStage("v1").withHttpMethod("POST")
                .withResourcePath("/reconcile").withPath("/v1/reconcile");
        return new APIGatewayProxyRequestEvent().withHttpMethod("POST").withPath("/reconcile").withResource("/reconcile")
                .withHeaders(Map.of("Content-Type", "application/json")).withBody(body.toString()).withIsBase64Encoded(false)
                .withRequestContext(requestContext);
    }

    /** The same sequence numbers as NotifiedInitProbe's (kinesis-local's layout, shard 0, 1,000 records/s). */
    static String kinesisLocalSequenceNumber(long i) {
        long created = Instant.parse("2026-11-21T00:00:00Z").getEpochSecond();
        String hex = "2" + String.format("%09x", created) + "0" + String.format("%016x", i) + "00"
                + String.format("%09x", created + i / 1_000) + "000000002";
        return new BigInteger(hex, 16).toString();
    }

    /** The context Lambda would pass. */
    static final class ProbeContext implements Context {
        private final String requestId = UUID.randomUUID().toString();

        @Override
        public String getAwsRequestId() {
            return requestId;
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/checker-probe";
        }

        @Override
        public String getLogStreamName() {
            return "probe";
        }

        @Override
        public String getFunctionName() {
            return "checker-probe";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:checker-probe";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 29_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 2048;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.out.println(message);
                }

                @Override
                public void log(byte[] message) {
                    System.out.write(message, 0, message.length);
                }
            };
        }
    }
}
