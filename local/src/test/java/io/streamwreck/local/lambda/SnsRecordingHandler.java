package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test function for the runtime: records every invocation under its {@code SINK} environment variable, and
 * fails on request so that retries and dead-lettering can be observed — a message containing
 * {@code fail-always} always fails, one containing {@code fail-once} fails on its first attempt only.
 */
public final class SnsRecordingHandler implements RequestHandler<SNSEvent, String> {

    /** One invocation as the function saw it. */
    public record Invocation(SNSEvent event, String requestId, String functionName, boolean failed) {
    }

    static final Map<String, List<Invocation>> INVOCATIONS = new ConcurrentHashMap<>();
    private static final Set<String> FAILED_ONCE = ConcurrentHashMap.newKeySet();

    private final String sink;

    /** What Lambda calls: the sink comes from the process environment. */
    public SnsRecordingHandler() {
        this(System.getenv());
    }

    public SnsRecordingHandler(Map<String, String> environment) {
        this.sink = environment.getOrDefault("SINK", "default");
    }

    static List<Invocation> invocations(String sink) {
        return INVOCATIONS.computeIfAbsent(sink, s -> new CopyOnWriteArrayList<>());
    }

    @Override
    public String handleRequest(SNSEvent event, Context context) {
        String message = event.getRecords().get(0).getSNS().getMessage();
        String messageId = event.getRecords().get(0).getSNS().getMessageId();
        boolean fail = message.contains("fail-always") || (message.contains("fail-once") && FAILED_ONCE.add(messageId));
        invocations(sink).add(new Invocation(event, context.getAwsRequestId(), context.getFunctionName(), fail));
        if (fail) {
            throw new IllegalStateException("refused " + messageId + ": " + message);
        }
        return "ok";
    }
}
