package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads a Lambda handler by class name, as the Lambda runtime does: from a deployment package (a jar, in a
 * class loader of its own) or from this process's class path.
 *
 * <p>Environment: a JVM cannot change its own environment variables, so the function's variables (what the
 * template sets under {@code Environment.Variables}) are passed to a public {@code (Map<String, String>)}
 * constructor when the handler has one; otherwise the public no-argument constructor runs — the one Lambda
 * calls, which reads {@code System.getenv()}. The AWS SDK's default credentials chain inside the function reads the
 * process's environment, not that map: as Lambda puts the role's credentials into the function's environment, the
 * map's {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} are made visible to the chain as the
 * {@code aws.accessKeyId}/{@code aws.secretAccessKey} system properties, unless those are set already (the local
 * stand-ins accept any credentials; these are the stack's placeholders).
 */
public final class ApiGatewayHandlerLoader {

    private ApiGatewayHandlerLoader() {
    }

    /** A loaded handler and what to close when it is no longer served. */
    public record Loaded(RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler,
                         AutoCloseable resources) {
    }

    /**
     * Loads a handler from this process's class path.
     *
     * @param className {@code package.Class} or, as in Lambda's Handler setting, {@code package.Class::handleRequest}
     */
    public static Loaded fromClassPath(String className, Map<String, String> environment) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler =
                instantiate(loader == null ? ApiGatewayHandlerLoader.class.getClassLoader() : loader, className, environment);
        return new Loaded(handler, closerOf(handler, null));
    }

    /**
     * Loads a handler ({@code package.Class} or {@code package.Class::handleRequest}) from a deployment package
     * (a shaded jar or a classes directory). Its classes —
     * its own Jackson, lettuce, Netty — are isolated from this process's, except the Lambda interfaces and event
     * classes, which must be shared so that this server can call the handler (see {@link FunctionClassLoader}).
     */
    public static Loaded fromDeploymentPackage(Path deploymentPackage, String className, Map<String, String> environment) {
        if (!Files.exists(deploymentPackage)) {
            throw new IllegalArgumentException("the deployment package " + deploymentPackage.toAbsolutePath()
                    + " does not exist; build it first (mvn -pl <module> -am package)");
        }
        FunctionClassLoader loader = new FunctionClassLoader("lambda-deployment-package", deploymentPackage,
                FunctionClassLoader.API_GATEWAY_SHARED, ApiGatewayHandlerLoader.class.getClassLoader());
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler = instantiate(loader, className, environment);
            return new Loaded(handler, closerOf(handler, loader));
        } catch (RuntimeException | Error e) {
            try {
                loader.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @SuppressWarnings("unchecked")
    static RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> instantiate(
            ClassLoader loader, String handler, Map<String, String> environment) {
        String className = className(handler);
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("handler class " + className + " not found", e);
        }
        if (!RequestHandler.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(className + " does not implement " + RequestHandler.class.getName());
        }
        if (!handlesProxyEvents(type)) {
            throw new IllegalArgumentException(className + " is not a RequestHandler<APIGatewayProxyRequestEvent, "
                    + "APIGatewayProxyResponseEvent>");
        }
        if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException(className + " must be a public, concrete class");
        }
        exposeCredentials(environment);
        try {
            Constructor<?> withEnvironment = environmentConstructor(type);
            Object instance = withEnvironment != null
                    ? withEnvironment.newInstance(Map.copyOf(environment))
                    : type.getConstructor().newInstance();
            return (RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>) instance;
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(className + " has neither a public (Map<String, String>) nor a public "
                    + "no-argument constructor", e);
        } catch (InvocationTargetException e) {
            // Lambda reports this as an init error: the function cannot serve anything.
            Throwable cause = e.getCause();
            throw new IllegalStateException("the constructor of " + className + " failed: " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + className + ": " + e, e);
        }
    }

    /**
     * The class of a handler given as Lambda's Handler setting spells it — {@code package.Class} or
     * {@code package.Class::handleRequest}; this runtime calls the {@link RequestHandler} method only.
     */
    static String className(String handler) {
        int colons = handler.indexOf("::");
        if (colons < 0) {
            return handler;
        }
        String method = handler.substring(colons + 2);
        if (!method.equals("handleRequest")) {
            throw new IllegalArgumentException("handler " + handler + ": only RequestHandler::handleRequest can be served, "
                    + "not ::" + method);
        }
        return handler.substring(0, colons);
    }

    private static void exposeCredentials(Map<String, String> environment) {
        String key = environment.get("AWS_ACCESS_KEY_ID");
        String secret = environment.get("AWS_SECRET_ACCESS_KEY");
        if (key != null && secret != null && System.getProperty("aws.accessKeyId") == null) {
            System.setProperty("aws.accessKeyId", key);
            System.setProperty("aws.secretAccessKey", secret);
        }
    }

    private static Constructor<?> environmentConstructor(Class<?> type) {
        try {
            Constructor<?> c = type.getConstructor(Map.class);
            Type[] args = ((ParameterizedType) c.getGenericParameterTypes()[0]).getActualTypeArguments();
            return args[0] == String.class && args[1] == String.class ? c : null;
        } catch (NoSuchMethodException | ClassCastException e) {
            return null;
        }
    }

    /** Whether the class (or a superclass) implements RequestHandler with the API Gateway proxy event types. */
    private static boolean handlesProxyEvents(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    Type[] args = p.getActualTypeArguments();
                    return args[0] == APIGatewayProxyRequestEvent.class && args[1] == APIGatewayProxyResponseEvent.class;
                }
            }
        }
        return false;
    }

    private static AutoCloseable closerOf(Object handler, FunctionClassLoader loader) {
        return () -> {
            try {
                // Lambda never closes a handler; locally, one that holds connections may let them go.
                if (handler instanceof AutoCloseable c) {
                    c.close();
                }
            } finally {
                if (loader != null) {
                    loader.close();
                }
            }
        };
    }
}
