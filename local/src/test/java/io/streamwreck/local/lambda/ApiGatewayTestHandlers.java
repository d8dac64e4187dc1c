package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Small Lambda handlers that {@link ApiGatewayServer} tests serve, each showing one behaviour. */
public final class ApiGatewayTestHandlers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiGatewayTestHandlers() {
    }

    /** Answers 200 with the event it got, as JSON, and its Lambda context in headers. */
    public static final class Echo
            implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, AutoCloseable {
        public static final AtomicInteger CLOSED = new AtomicInteger();
        private final Map<String, String> environment;

        public Echo(Map<String, String> environment) {
            this.environment = environment;
        }

        @Override
        public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
            try {
                return new APIGatewayProxyResponseEvent().withStatusCode(200)
                        .withHeaders(Map.of("Content-Type", "application/json",
                                "X-Greeting", environment.getOrDefault("GREETING", "none"),
                                "X-Function", context.getFunctionName(),
                                "X-Lambda-Request-Id", context.getAwsRequestId(),
                                "X-Remaining-Ms", Integer.toString(context.getRemainingTimeInMillis())))
                        .withBody(JSON.writeValueAsString(event));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            CLOSED.incrementAndGet();
        }
    }

    /** Only a no-argument constructor, as Lambda requires at the least. */
    public static final class NoArgument implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
        @Override
        public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
            return new APIGatewayProxyResponseEvent().withStatusCode(204);
        }
    }

    /** Fails every invocation. */
    public static final class Throwing implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
        @Override
        public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
            throw new IllegalStateException("boom at " + event.getPath());
        }
    }

    /** Returns a response without a status code. */
    public static final class NoStatus implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
        @Override
        public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
            return new APIGatewayProxyResponseEvent().withBody("{}");
        }
    }

    /** Waits until {@link #RELEASE} opens. */
    public static final class Blocking implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
        public static final CountDownLatch RELEASE = new CountDownLatch(1);

        @Override
        public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
            try {
                RELEASE.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new APIGatewayProxyResponseEvent().withStatusCode(200);
        }
    }

    /** Answers with binary content (base64) and a repeated header. */
    public static final class Binary implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
        static final byte[] BYTES = {0, 1, 2, (byte) 0xFF, (byte) 0xC3};

        @Override
        public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
            return new APIGatewayProxyResponseEvent().withStatusCode(201)
                    .withMultiValueHeaders(Map.of("Set-Cookie", List.of("a=1", "b=2")))
                    .withHeaders(Map.of("Content-Type", "application/octet-stream", "set-cookie", "ignored=1"))
                    .withIsBase64Encoded(true)
                    .withBody(Base64.getEncoder().encodeToString(BYTES));
        }
    }

    /** Answers with more than Lambda lets a function return. */
    public static final class Oversized implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
        @Override
        public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
            return new APIGatewayProxyResponseEvent().withStatusCode(200)
                    .withBody("x".repeat(ApiGatewayServer.MAX_RESPONSE_BYTES + 1));
        }
    }

    /** A handler of other events: not something API Gateway can invoke. */
    public static final class OtherEvents implements RequestHandler<Map<String, Object>, String> {
        @Override
        public String handleRequest(Map<String, Object> event, Context context) {
            return "";
        }
    }

    /** Its constructor fails, as one whose configuration is missing would. */
    public static final class FailingConstructor
            implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
        public FailingConstructor(Map<String, String> environment) {
            throw new IllegalArgumentException("REDIS_URL is not set");
        }

        @Override
        public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
            return null;
        }
    }
}
