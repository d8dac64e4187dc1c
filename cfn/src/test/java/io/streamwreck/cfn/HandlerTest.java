package io.streamwreck.cfn;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every function's {@code Handler} names a public class and method present in the jar its {@code CodeUri}
 * points at, with the signature Lambda calls for the function's event source.
 */
class HandlerTest {

    private static final String CONTEXT = "com.amazonaws.services.lambda.runtime.Context";
    /** The event class the Lambda Java runtime deserialises each SAM event type into. */
    private static final Map<String, String> EVENT_CLASS = Map.of(
            "SNS", "com.amazonaws.services.lambda.runtime.events.SNSEvent",
            "Api", "com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent",
            "Kinesis", "com.amazonaws.services.lambda.runtime.events.KinesisEvent");
    /** Class file major version → the newest Java a runtime runs: java21 runs up to 65. */
    private static final Map<String, Integer> RUNTIME_MAX_CLASS_VERSION = Map.of("java21", 65, "java25", 69);

    @Test
    void theFunctionsAreDeclared() {
        assertThat(Repo.template().resourcesOfType("AWS::Serverless::Function"))
                .containsOnlyKeys("NotifiedFunction", "CheckerFunction", "ConsumerFunction");
    }

    @Test
    void everyHandlerIsInItsJarWithTheRightSignature() throws Exception {
        Template t = Repo.template();
        String runtime = (String) t.functionGlobals().get("Runtime");
        assertThat(RUNTIME_MAX_CLASS_VERSION).as("runtime %s", runtime).containsKey(runtime);
        for (var fn : t.resourcesOfType("AWS::Serverless::Function").entrySet()) {
            Map<String, Object> props = t.properties(fn.getKey());
            Path jar = Repo.builtJar((String) props.get("CodeUri"));
            String handler = (String) props.get("Handler");
            assertThat(handler).as(fn.getKey()).matches("[\\w.$]+::\\w+");
            String className = handler.substring(0, handler.indexOf("::"));
            String methodName = handler.substring(handler.indexOf("::") + 2);
            Set<String> eventClasses = Template.map(props.get("Events")).values().stream()
                    .map(e -> EVENT_CLASS.get(String.valueOf(Template.map(e).get("Type"))))
                    .collect(Collectors.toSet());
            assertThat(eventClasses).as("%s: one known event type", fn.getKey()).hasSize(1).doesNotContainNull();

            // As Lambda does: the jar alone, in its own class loader (nothing from this test's classpath).
            try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader())) {
                Class<?> type = Class.forName(className, false, loader);
                assertThat(Modifier.isPublic(type.getModifiers()) && !Modifier.isAbstract(type.getModifiers()))
                        .as("%s is a public concrete class", className).isTrue();
                assertThat(type.getConstructor()).as("%s: public no-argument constructor", className).isNotNull();
                Class<?> event = Class.forName(eventClasses.iterator().next(), false, loader);
                Class<?> context = Class.forName(CONTEXT, false, loader);
                Method method = type.getMethod(methodName, event, context);
                assertThat(Modifier.isPublic(method.getModifiers())).isTrue();
                assertThat(classFileVersion(type)).as("%s compiled for %s or older", className, runtime)
                        .isLessThanOrEqualTo(RUNTIME_MAX_CLASS_VERSION.get(runtime));
            }
        }
    }

    private static int classFileVersion(Class<?> type) throws Exception {
        try (var in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            byte[] head = in.readNBytes(8);
            return ((head[6] & 0xff) << 8) | (head[7] & 0xff);
        }
    }
}
