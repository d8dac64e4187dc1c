package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * An SNS-triggered function's handler, created by class name the way Lambda creates it, and invoked with the
 * function's class loader as the thread's context class loader.
 *
 * <p>Lambda calls the handler class's public no-argument constructor, which reads the function's
 * environment variables. In-process the environment of the JVM cannot be changed, so when the caller gives
 * an environment the handler class must also offer a public constructor taking a {@code Map<String, String>}:
 * it receives this JVM's environment overlaid with the given variables.
 */
public final class SnsLambdaFunction implements AutoCloseable {

    private final String name;
    private final RequestHandler<SNSEvent, ?> handler;
    private final ClassLoader loader;
    private final FunctionClassLoader ownLoader;

    private SnsLambdaFunction(String name, RequestHandler<SNSEvent, ?> handler, ClassLoader loader, FunctionClassLoader ownLoader) {
        this.name = name;
        this.handler = handler;
        this.loader = loader;
        this.ownLoader = ownLoader;
    }

    /**
     * Creates the handler from this JVM's class path.
     *
     * @param handlerClass the class name, optionally followed by {@code ::handleRequest} as in a Lambda handler setting
     * @param environment  the function's environment variables, or null to use the no-argument constructor
     * @throws IllegalArgumentException when the class is missing, is not a {@code RequestHandler<SNSEvent, ?>},
     *                                  or lacks the constructor needed; the handler's own constructor failures propagate
     */
    public static SnsLambdaFunction fromClassPath(String name, String handlerClass, Map<String, String> environment) {
        ClassLoader host = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : SnsLambdaFunction.class.getClassLoader();
        return new SnsLambdaFunction(name, instantiate(host, handlerClass, environment), host, null);
    }

    /** Creates the handler from a deployment jar, isolated as on Lambda (see {@link FunctionClassLoader}). */
    public static SnsLambdaFunction fromDeploymentJar(String name, Path jar, String handlerClass, Map<String, String> environment) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no deployment jar at " + jar.toAbsolutePath()
                    + " (build it with: mvn -pl notified-lambda -am package -DskipTests)");
        }
        FunctionClassLoader loader = new FunctionClassLoader("lambda-function", jar, FunctionClassLoader.SNS_SHARED,
                SnsLambdaFunction.class.getClassLoader());
        try {
            return new SnsLambdaFunction(name, instantiate(loader, handlerClass, environment), loader, loader);
        } catch (RuntimeException | Error e) {
            loader.close();
            throw e;
        }
    }

    /** Wraps a handler the caller built (tests that need to hand in their own clients). */
    public static SnsLambdaFunction of(String name, RequestHandler<SNSEvent, ?> handler) {
        return new SnsLambdaFunction(name, handler, handler.getClass().getClassLoader(), null);
    }

    public String name() {
        return name;
    }

    /** Runs one invocation; whatever the handler throws is the invocation's error. */
    public Object invoke(SNSEvent event, Context context) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return handler.handleRequest(event, context);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Lambda's init phase: the handler class is loaded and constructed with the function's class loader as context. */
    private static RequestHandler<SNSEvent, ?> instantiate(ClassLoader loader, String handlerSetting, Map<String, String> environment) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return construct(loader, handlerSetting, environment);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @SuppressWarnings("unchecked")
    private static RequestHandler<SNSEvent, ?> construct(ClassLoader loader, String handlerSetting, Map<String, String> environment) {
        String className = handlerSetting.contains("::") ? handlerSetting.substring(0, handlerSetting.indexOf("::")) : handlerSetting;
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("handler class " + className + " not found", e);
        }
        if (!RequestHandler.class.isAssignableFrom(type) || !HandlerTypes.takes(type, SNSEvent.class)) {
            throw new IllegalArgumentException(className + " is not a RequestHandler<SNSEvent, ?>");
        }
        try {
            Object handler;
            if (environment == null) {
                handler = type.getConstructor().newInstance();
            } else {
                Map<String, String> env = new HashMap<>(System.getenv());
                env.putAll(environment);
                Constructor<?> withEnvironment = type.getConstructor(Map.class);
                handler = withEnvironment.newInstance(Map.copyOf(env));
            }
            return (RequestHandler<SNSEvent, ?>) handler;
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(className + " has no public " + (environment == null
                    ? "no-argument constructor" : "constructor taking the environment (Map<String, String>)"), e);
        } catch (InvocationTargetException e) {
            // The function's initialisation failed (on Lambda: an init error): surface its own exception.
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("initialising " + className + " failed: " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot instantiate " + className + ": " + e, e);
        }
    }

    /** Closes the handler when it is {@link AutoCloseable} (Lambda never does; locally it frees its connections), then its class loader. */
    @Override
    public void close() {
        try {
            if (handler instanceof AutoCloseable closeable) {
                closeable.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("closing function " + name + " failed: " + e, e);
        } finally {
            if (ownLoader != null) {
                ownLoader.close();
            }
        }
    }
}
