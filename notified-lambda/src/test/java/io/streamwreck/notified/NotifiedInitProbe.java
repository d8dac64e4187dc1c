package io.streamwreck.notified;


import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;

import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A cold start of the deployment jar, as Lambda would run it, in a JVM of its own: {@code java -cp
 * notified-lambda.jar:<this class> io.streamwreck.notified.NotifiedInitProbe STREAM KEYS} with the function's
 * environment ({@code REDIS_URL}, …). Constructs the handler as Lambda does (no-argument constructor) and
 * invokes it once with a (version 1) notice of KEYS keys, then prints on standard error {@code init_ms=…}
 * (handler construction to the first invocation returned: the cold start the code controls) and
 * {@code jvm_ms=…} (JVM start to the same point) and {@code cpu_ms=…} (the JVM's CPU time until then, all threads). Standard output carries the function's JSON logs and EMF.
 *
 * <p>It uses only the Lambda library's classes (which every version of the deployment jar holds) and builds
 * the notice's JSON by hand, so that it loads none of the function's own classes before the clock starts:
 * bench/lambda-init.sh runs the same probe against the deployment jar of an older commit. The SNS event (and
 * its Joda timestamp) is built before the clock starts — on Lambda the runtime, not the function, builds it.
 * Closing the handler (which Lambda never does) is not timed.
 */
public final class NotifiedInitProbe {

    private NotifiedInitProbe() {
    }

    public static void main(String[] args) {
        String stream = args[0];
        int keys = Integer.parseInt(args[1]);
        SNSEvent event = event(notice(stream, keys));

        long began = System.nanoTime();
        NotifiedHandler handler = new NotifiedHandler();
        InvocationSummary summary = handler.handleRequest(event, new ProbeContext());
        long initNanos = System.nanoTime() - began;
        long jvmMillis = ManagementFactory.getRuntimeMXBean().getUptime();
        long cpuNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        handler.close();
        if (summary.keysRecorded() != keys) {
            System.err.println("probe: expected " + keys + " keys recorded, got " + summary);
            System.exit(1);
        }
        System.err.printf("init_ms=%.1f%njvm_ms=%d%ncpu_ms=%d%n", initNanos / 1e6, jvmMillis, cpuNanos / 1_000_000);
    }

    /** A version-1 notice of {@code count} keys of shard 0, as NoticeCodec would write it. */
    static String notice(String stream, int count) {
        String shardId = "shardId-000000000000";
        StringBuilder processed = new StringBuilder(count * 60);
        for (int i = 0; i < count; i++) {
            processed.append(i == 0 ? "" : ",").append('"').append(kinesisLocalSequenceNumber(i)).append('"');
        }
        return "{\"v\":1,\"id\":\"" + UUID.randomUUID() + "\",\"stream\":\"" + stream + "\",\"app\":\"billing\",\"shardId\":\""
                + shardId + "\",\"worker\":\"probe\",\"batch\":{\"first\":\"" + kinesisLocalSequenceNumber(0) + "\",\"last\":\""
                + kinesisLocalSequenceNumber(count - 1) + "\",\"received\":" + count + "},\"processed\":[" + processed
                + "],\"at\":\"" + Instant.now() + "\"}";
    }

    private static SNSEvent event(String notice) {
        SNSEvent.SNS sns = new SNSEvent.SNS().withType("Notification").withMessageId(UUID.randomUUID().toString())
                .withTopicArn("arn:aws:sns:us-east-1:123456789012:probe").withMessage(notice)
                .withTimestamp(new DateTime(DateTimeZone.UTC)).withMessageAttributes(Map.of());
        return new SNSEvent().withRecords(List.of(new SNSEvent.SNSRecord().withEventSource("aws:sns")
                .withEventVersion("1.0").withEventSubscriptionArn("arn:aws:sns:us-east-1:123456789012:probe:1").withSns(sns)));
    }

    /** The context Lambda would pass; nothing here depends on the local module, which the jar does not hold. */
    static final class ProbeContext implements Context {
        private final String requestId = UUID.randomUUID().toString();

        @Override
        public String getAwsRequestId() {
            return requestId;
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/notified-probe";
        }

        @Override
        public String getLogStreamName() {
            return "probe";
        }

        @Override
        public String getFunctionName() {
            return "notified-probe";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:notified-probe";
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
            return 60_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 512;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.out.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.out.write(message, 0, message.length);
                }
            };
        }
    }

    /**
     * The i-th record of shard 0 created 2026-11-21T00:00:00Z, written at 1,000 records/s, in kinesis-local's
     * layout — what io.streamwreck.local.standin.KinesisLocalSequenceNumbers gives, which this lone JVM does not have.
     */
    static String kinesisLocalSequenceNumber(long i) {
        long created = Instant.parse("2026-11-21T00:00:00Z").getEpochSecond();
        String hex = "2" + String.format("%09x", created) + "0" + String.format("%016x", i) + "00"
                + String.format("%09x", created + i / 1_000) + "000000002";
        return new BigInteger(hex, 16).toString();
    }
}
