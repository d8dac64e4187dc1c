package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiGatewayHandlerLoaderTest {

    private static final String HANDLERS = ApiGatewayTestHandlers.class.getName() + "$";

    @Test
    void theEnvironmentConstructorIsPreferred() {
        ApiGatewayHandlerLoader.Loaded loaded = ApiGatewayHandlerLoader.fromClassPath(HANDLERS + "Echo", Map.of("GREETING", "hi"));

        APIGatewayProxyResponseEvent response = loaded.handler().handleRequest(new APIGatewayProxyRequestEvent(),
                new LocalLambdaContext("fn", "id-1", Duration.ofSeconds(3)));
        assertThat(response.getHeaders()).containsEntry("X-Greeting", "hi");
    }

    @Test
    void withoutOneTheNoArgumentConstructorRuns() {
        ApiGatewayHandlerLoader.Loaded loaded = ApiGatewayHandlerLoader.fromClassPath(HANDLERS + "NoArgument", Map.of());

        assertThat(loaded.handler()).isInstanceOf(ApiGatewayTestHandlers.NoArgument.class);
    }

    @Test
    void theHandlerMayBeSpelledAsInLambdasHandlerSetting() {
        assertThat(ApiGatewayHandlerLoader.fromClassPath(HANDLERS + "NoArgument::handleRequest", Map.of()).handler())
                .isInstanceOf(ApiGatewayTestHandlers.NoArgument.class);
        assertThatThrownBy(() -> ApiGatewayHandlerLoader.fromClassPath(HANDLERS + "NoArgument::handle", Map.of()))
                .hasMessageContaining("only RequestHandler::handleRequest can be served, not ::handle");
    }

    @Test
    void aMissingClassIsNamed() {
        assertThatThrownBy(() -> ApiGatewayHandlerLoader.fromClassPath("io.example.Nope", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("handler class io.example.Nope not found");
    }

    @Test
    void aClassThatIsNotAHandlerIsRefused() {
        assertThatThrownBy(() -> ApiGatewayHandlerLoader.fromClassPath(String.class.getName(), Map.of()))
                .hasMessageContaining("does not implement com.amazonaws.services.lambda.runtime.RequestHandler");
    }

    @Test
    void aHandlerOfOtherEventsIsRefused() {
        assertThatThrownBy(() -> ApiGatewayHandlerLoader.fromClassPath(HANDLERS + "OtherEvents", Map.of()))
                .hasMessageContaining("is not a RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>");
    }

    @Test
    void aFailingConstructorIsAnInitErrorWithItsCause() {
        assertThatThrownBy(() -> ApiGatewayHandlerLoader.fromClassPath(HANDLERS + "FailingConstructor", Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("REDIS_URL is not set")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDeploymentPackageRunsInItsOwnClassLoaderSharingOnlyTheLambdaTypes() throws Exception {
        Path testClasses = Path.of(ApiGatewayTestHandlers.class.getProtectionDomain().getCodeSource().getLocation().toURI());

        ApiGatewayHandlerLoader.Loaded loaded = ApiGatewayHandlerLoader.fromDeploymentPackage(testClasses, HANDLERS + "Echo", Map.of());
        try {
            RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler = loaded.handler();
            assertThat(handler.getClass().getName()).isEqualTo(ApiGatewayTestHandlers.Echo.class.getName());
            assertThat(handler.getClass()).isNotSameAs(ApiGatewayTestHandlers.Echo.class);
            assertThat(handler.getClass().getClassLoader()).isInstanceOf(FunctionClassLoader.class);
            assertThat(handler.handleRequest(new APIGatewayProxyRequestEvent().withPath("/p"),
                    new LocalLambdaContext("fn", "id-2", Duration.ofSeconds(3))).getStatusCode()).isEqualTo(200);
        } finally {
            loaded.resources().close();
        }
    }

    @Test
    void aMissingDeploymentPackageSaysHowToBuildIt() {
        assertThatThrownBy(() -> ApiGatewayHandlerLoader.fromDeploymentPackage(Path.of("target/nope.jar"), HANDLERS + "Echo", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope.jar does not exist; build it first");
    }
}
