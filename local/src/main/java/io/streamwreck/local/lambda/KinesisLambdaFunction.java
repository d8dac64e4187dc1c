package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Kinesis-triggered function loaded from its deployment jar, isolated as on Lambda ({@link FunctionClassLoader}),
 * for a {@link KinesisEventSourceMapping} to invoke. Its handler is built the way Lambda builds it: the public
 * no-argument constructor, reading the function's settings from the environment — so the function runs in a process
 * of its own whose environment is the function's ({@code local.jar lambda-consumer}, started by {@code make up}).
 */
public final class KinesisLambdaFunction implements AutoCloseable {

    private final FunctionClassLoader loader;
    private final RequestHandler<KinesisEvent, StreamsEventResponse> handler;

    private KinesisLambdaFunction(FunctionClassLoader loader, RequestHandler<KinesisEvent, StreamsEventResponse> handler) {
        this.loader = loader;
        this.handler = handler;
    }

    /**
     * @param handlerSetting {@code package.Class} or, as in Lambda's Handler setting, {@code package.Class::handleRequest}
     * @throws IllegalArgumentException when the jar or the class is missing or the class is not a public
     *                                  {@code RequestHandler<KinesisEvent, StreamsEventResponse>} with a no-argument constructor
     * @throws IllegalStateException    when the handler's initialisation fails (on Lambda: an init error)
     */
    public static KinesisLambdaFunction fromDeploymentJar(Path jar, String handlerSetting) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no deployment jar at " + jar.toAbsolutePath() + " (make build builds it)");
        }
        String className = ApiGatewayHandlerLoader.className(handlerSetting);
        FunctionClassLoader loader = new FunctionClassLoader("lambda-kinesis-function", jar, FunctionClassLoader.KINESIS_SHARED,
                KinesisLambdaFunction.class.getClassLoader());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return new KinesisLambdaFunction(loader, construct(loader, className));
        } catch (RuntimeException | Error e) {
            loader.close();
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @SuppressWarnings("unchecked")
    private static RequestHandler<KinesisEvent, StreamsEventResponse> construct(ClassLoader loader, String className) {
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("handler class " + className + " not found in the deployment jar", e);
        } catch (ExceptionInInitializerError e) {
            throw new IllegalStateException("initialising " + className + " failed: " + e.getCause(), e.getCause());
        }
        if (!RequestHandler.class.isAssignableFrom(type) || !HandlerTypes.takes(type, KinesisEvent.class)
                || !Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException(className + " is not a public RequestHandler<KinesisEvent, StreamsEventResponse>");
        }
        try {
            return (RequestHandler<KinesisEvent, StreamsEventResponse>) type.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(className + " has no public no-argument constructor", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the constructor of " + className + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + className + ": " + e, e);
        }
    }

    /** The handler, invoked with the function's class loader as the thread's context class loader (as Lambda does). */
    public RequestHandler<KinesisEvent, StreamsEventResponse> handler() {
        return (event, context) -> {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                return handler.handleRequest(event, context);
            } finally {
                thread.setContextClassLoader(previous);
            }
        };
    }

    @Override
    public void close() {
        loader.close();
    }
}
