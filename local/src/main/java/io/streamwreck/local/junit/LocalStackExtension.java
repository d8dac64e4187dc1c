package io.streamwreck.local.junit;

import io.streamwreck.local.standin.LocalEndpoints;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.nio.file.Path;

/**
 * JUnit 5 extension for integration tests on the local stack: one stack per test run, started before the
 * first test class that uses it and stopped when the run ends (the root store closes it), or by the JVM
 * shutdown hook if the run is cut short. Test methods and constructors can take a {@link LocalStack} or
 * {@link LocalEndpoints} parameter.
 *
 * <p>Logs go to {@code target/local-stack/logs/} of the module under test (override with the system property
 * {@code streamwreck.stateDir}). Tests share the stack: each should create its own stream, table, topic or
 * key prefix.
 */
public final class LocalStackExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalStackExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        stack(context);
    }

    /** The run's stack, started on first use. */
    public static LocalStack stack(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(LocalStack.class,
                type -> LocalStack.start(Path.of(System.getProperty("streamwreck.stateDir", "target/local-stack"))),
                LocalStack.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalStack.class || type == LocalEndpoints.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        LocalStack stack = stack(context);
        return parameter.getParameter().getType() == LocalStack.class ? stack : stack.endpoints();
    }
}
