package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import io.streamwreck.local.AwsClients;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The {@link Context} the local runtime hands a handler: what the Lambda service would pass for one
 * asynchronous invocation of the function. Retries of an invocation keep its request id, as on AWS.
 */
public final class SnsLambdaContext implements Context {

    private static final int MEMORY_MB = 512;

    private final String requestId;
    private final String functionName;
    private final long deadlineNanos;

    /**
     * @param requestId    the invocation's request id (the same for each retry of one event)
     * @param functionName the function's name, for its ARN and log group
     * @param timeout      the function's timeout, from now: {@link #getRemainingTimeInMillis()} counts it down
     */
    public SnsLambdaContext(String requestId, String functionName, Duration timeout) {
        this.requestId = requestId;
        this.functionName = functionName;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local/[$LATEST]" + functionName;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:" + AwsClients.REGION.id() + ":" + AwsClients.ACCOUNT_ID + ":function:" + functionName;
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
        return (int) Math.max(0, Duration.ofNanos(deadlineNanos - System.nanoTime()).toMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return MEMORY_MB;
    }

    @Override
    public LambdaLogger getLogger() {
        // On AWS this logger writes to the function's log stream, which is its standard output.
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.print(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.print(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
