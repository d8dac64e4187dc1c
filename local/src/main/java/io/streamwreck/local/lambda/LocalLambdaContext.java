package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The Lambda {@link Context} of one local invocation (API Gateway or SNS): the function's name, the request id, the time left
 * until the invocation's deadline, and a logger that writes to this process's log (under
 * {@link #LOGGER_PREFIX} plus the function name) the way Lambda sends a function's log lines to CloudWatch.
 */
public final class LocalLambdaContext implements Context {

    /** Function log lines go to this logger name plus the function's name (INFO and up, like streamwreck's own). */
    public static final String LOGGER_PREFIX = "io.streamwreck.lambda.";
    /** What Lambda reports for a function configured with the default 1 GB (any value works locally). */
    private static final int MEMORY_MB = 1024;

    private final String functionName;
    private final String requestId;
    private final long deadlineNanos;
    private final LambdaLogger logger;

    /**
     * @param functionName the function's name, as in its template
     * @param requestId    the invocation's id ({@code getAwsRequestId()})
     * @param timeout      how long the invocation may run from now ({@code getRemainingTimeInMillis()} counts down)
     */
    public LocalLambdaContext(String functionName, String requestId, Duration timeout) {
        this.functionName = Objects.requireNonNull(functionName, "functionName");
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.logger = new Slf4jLambdaLogger(LoggerFactory.getLogger(LOGGER_PREFIX + functionName));
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
        return "local/[$LATEST]" + ProcessHandle.current().pid();
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
        // Account 000000000000 and region "local": an ARN that cannot be mistaken for a real one.
        return "arn:aws:lambda:local:000000000000:function:" + functionName;
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
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
    }

    @Override
    public int getMemoryLimitInMB() {
        return MEMORY_MB;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }

    /** Lambda's logger onto slf4j: one log event per call, without the trailing newline handlers often add. */
    private static final class Slf4jLambdaLogger implements LambdaLogger {
        private final Logger log;

        Slf4jLambdaLogger(Logger log) {
            this.log = log;
        }

        @Override
        public void log(String message) {
            log(message, LogLevel.INFO);
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8), LogLevel.INFO);
        }

        @Override
        public void log(String message, LogLevel level) {
            String line = message == null ? "null" : message.strip();
            switch (level == null ? LogLevel.INFO : level) {
                case TRACE -> log.trace(line);
                case DEBUG -> log.debug(line);
                case WARN -> log.warn(line);
                case ERROR, FATAL -> log.error(line);
                default -> log.info(line);
            }
        }

        @Override
        public void log(byte[] message, LogLevel level) {
            log(new String(message, StandardCharsets.UTF_8), level);
        }
    }
}
