package io.streamwreck.checker;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CheckerApiRouteTest {

    @Test
    void aConcreteResourceIsTheRoute() {
        // Behind a base path mapping the path carries a prefix; the resource API Gateway matched does not.
        assertThat(CheckerApi.route(event("/reconcile", "/checker/reconcile"))).isEqualTo("/reconcile");
    }

    @Test
    void behindAGreedyProxyResourceThePathIsTheRoute() {
        assertThat(CheckerApi.route(event("/{proxy+}", "/health"))).isEqualTo("/health");
        assertThat(CheckerApi.route(event(null, "/reconcile/"))).isEqualTo("/reconcile");
        assertThat(CheckerApi.route(event(null, null))).isEqualTo("/");
        assertThat(CheckerApi.route(event(null, "/"))).isEqualTo("/");
    }

    private static APIGatewayProxyRequestEvent event(String resource, String path) {
        return new APIGatewayProxyRequestEvent().withResource(resource).withPath(path);
    }
}
