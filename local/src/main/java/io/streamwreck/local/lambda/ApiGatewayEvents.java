package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.RequestIdentity;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one HTTP request into the event API Gateway's REST API sends a Lambda proxy integration behind a
 * greedy {@code /{proxy+}} resource with method {@code ANY} — the same fields, and the same nulls where AWS
 * sends null (no query string → both query maps null).
 *
 * <p>The body is passed as text when it is valid UTF-8 and otherwise base64-encoded with
 * {@code isBase64Encoded=true}, as API Gateway does for binary payloads: a handler sees the bytes the client
 * sent, never a silently "repaired" string.
 */
public final class ApiGatewayEvents {

    /** The resource a greedy proxy route has; the handler routes on {@code path}. */
    static final String PROXY_RESOURCE = "/{proxy+}";
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private ApiGatewayEvents() {
    }

    /** One HTTP request as the server received it. */
    public record HttpRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                              byte[] body, String sourceIp, String host) {
    }

    /**
     * The proxy event for {@code request}.
     *
     * @param stage     the stage name ({@code requestContext.stage}); the URL carries no stage prefix, as
     *                  behind a custom domain mapped to that stage
     * @param requestId the request id (also the Lambda request id of the invocation)
     */
    public static APIGatewayProxyRequestEvent request(HttpRequest request, String stage, String requestId, Instant now) {
        String path = decodePath(request.rawPath() == null || request.rawPath().isEmpty() ? "/" : request.rawPath());
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
        event.setResource(PROXY_RESOURCE);
        event.setPath(path);
        event.setHttpMethod(request.method().toUpperCase(Locale.ROOT));
        setHeaders(event, request.headers());
        setQuery(event, request.rawQuery());
        event.setPathParameters(path.length() > 1 ? Map.of("proxy", path.substring(1)) : null);
        event.setStageVariables(null);
        setBody(event, request.body());

        ProxyRequestContext context = new ProxyRequestContext();
        context.setAccountId("000000000000");
        context.setApiId("local");
        context.setResourceId("local");
        context.setStage(stage);
        context.setRequestId(requestId);
        context.setExtendedRequestId(requestId);
        context.setHttpMethod(event.getHttpMethod());
        context.setResourcePath(PROXY_RESOURCE);
        context.setPath(path);
        context.setProtocol("HTTP/1.1");
        context.setDomainName(request.host());
        context.setDomainPrefix(request.host() == null ? null : request.host().split("[.:]", 2)[0]);
        context.setRequestTime(REQUEST_TIME.format(now));
        context.setRequestTimeEpoch(now.toEpochMilli());
        RequestIdentity identity = new RequestIdentity();
        identity.setSourceIp(request.sourceIp());
        identity.setUserAgent(last(request.headers(), "User-Agent"));
        context.setIdentity(identity);
        event.setRequestContext(context);
        return event;
    }

    private static void setHeaders(APIGatewayProxyRequestEvent event, Map<String, List<String>> headers) {
        if (headers == null || headers.isEmpty()) {
            return;
        }
        Map<String, String> single = new LinkedHashMap<>();
        Map<String, List<String>> multi = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            if (values == null || values.isEmpty()) {
                return;
            }
            // REST APIs keep the last value of a repeated header in "headers" and all of them in "multiValueHeaders".
            single.put(name, values.get(values.size() - 1));
            multi.put(name, List.copyOf(values));
        });
        event.setHeaders(single);
        event.setMultiValueHeaders(multi);
    }

    private static void setQuery(APIGatewayProxyRequestEvent event, String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        Map<String, String> single = new LinkedHashMap<>();
        Map<String, List<String>> multi = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1));
            single.put(name, value);
            multi.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        if (!single.isEmpty()) {
            event.setQueryStringParameters(single);
            event.setMultiValueQueryStringParameters(multi);
        }
    }

    private static void setBody(APIGatewayProxyRequestEvent event, byte[] body) {
        if (body == null || body.length == 0) {
            event.setBody(null);
            event.setIsBase64Encoded(false);
            return;
        }
        String text = utf8OrNull(body);
        if (text != null) {
            event.setBody(text);
            event.setIsBase64Encoded(false);
        } else {
            event.setBody(Base64.getEncoder().encodeToString(body));
            event.setIsBase64Encoded(true);
        }
    }

    /** The bytes as text when they are valid UTF-8, else null. */
    static String utf8OrNull(byte[] bytes) {
        // The JDK decodes ASCII with a vectorised fast path but replaces malformed input with U+FFFD; only when
        // that character shows up is a strict decode needed to tell a real U+FFFD from a replaced byte.
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            return text;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The bytes of a proxy response's body: base64-decoded when the handler says it is. */
    public static byte[] responseBody(String body, Boolean isBase64Encoded) {
        if (body == null) {
            return new byte[0];
        }
        if (Boolean.TRUE.equals(isBase64Encoded)) {
            return Base64.getDecoder().decode(body);
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private static String decodePath(String rawPath) {
        try {
            // Keep '+' as it is: only query strings use it for spaces.
            return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return rawPath;
        }
    }

    private static String decodeQuery(String part) {
        try {
            return URLDecoder.decode(part, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // A stray '%' is passed on as sent rather than failing the request.
            return part;
        }
    }

    private static String last(Map<String, List<String>> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && e.getValue() != null && !e.getValue().isEmpty()) {
                return e.getValue().get(e.getValue().size() - 1);
            }
        }
        return null;
    }
}
