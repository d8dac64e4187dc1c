package io.streamwreck.checker;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Raw API Gateway proxy events under {@code src/test/resources/events/}, bound as the Lambda runtime would. */
final class Fixtures {

    /** AWS adds fields to events over time (e.g. identity.clientCert); the runtime ignores the ones it does not know. */
    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Fixtures() {
    }

    static APIGatewayProxyRequestEvent event(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture events/" + name);
            }
            return JSON.readValue(in, APIGatewayProxyRequestEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    /** A JSON value written as Java values (maps, lists, strings, numbers), for comparing whole answers. */
    static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }
}
