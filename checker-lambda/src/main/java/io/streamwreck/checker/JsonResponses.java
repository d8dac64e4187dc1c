package io.streamwreck.checker;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** The proxy responses the checker sends: JSON bodies, {@code Content-Type: application/json}. */
final class JsonResponses {

    private JsonResponses() {
    }

    static APIGatewayProxyResponseEvent json(int status, String body) {
        return json(status, body, Map.of());
    }

    static APIGatewayProxyResponseEvent json(int status, String body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>(extraHeaders);
        headers.put("Content-Type", "application/json");
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(status)
                .withHeaders(headers)
                .withIsBase64Encoded(false)
                .withBody(body);
    }

    /** {@code {"Error":"<Code>","Message":"…","Index":n}}, Index only when one key is at fault. */
    static APIGatewayProxyResponseEvent error(ApiException e) {
        return json(e.status(), errorBody(e.code(), e.getMessage(), e.index()), e.headers());
    }

    static APIGatewayProxyResponseEvent error(int status, String code, String message, Map<String, String> headers) {
        return json(status, errorBody(code, message, null), headers);
    }

    static String errorBody(String code, String message, Integer index) {
        return object(g -> {
            g.writeStringField("Error", code);
            g.writeStringField("Message", message);
            if (index != null) {
                g.writeNumberField("Index", index);
            }
        });
    }

    /** A small JSON object written by {@code fields}. */
    static String object(Fields fields) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = ReconciliationWriter.JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a StringWriter", e);
        }
        return out.toString();
    }

    /** Writes the fields of one JSON object. */
    @FunctionalInterface
    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }
}
