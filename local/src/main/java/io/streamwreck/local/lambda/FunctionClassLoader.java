package io.streamwreck.local.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;

/**
 * Loads a Lambda function from its deployment package (a shaded jar, or a classes directory), isolated the way
 * the Lambda Java runtime isolates it. The local runtimes use it: {@link SnsLambdaFunction} (SNS → Lambda),
 * {@link ApiGatewayHandlerLoader} (API Gateway → Lambda) and {@link KinesisLambdaFunction} (Kinesis → Lambda).
 *
 * <p><b>From the package, first:</b> every class and resource the package has — the function's own code and its
 * libraries (its Jackson, lettuce, Netty, its copy of streamwreck's core), so it runs with the versions it was
 * built with, as on Lambda, not with the host's.
 *
 * <p><b>From the parent (the host):</b> the JDK, and the packages the host and the function must share so that
 * the host can call the function: the Lambda runtime interfaces and event classes
 * ({@code com.amazonaws.services.lambda.runtime.*}) and whatever else the runtime names in {@code shared}
 * ({@link #SNS_SHARED}: Joda-Time, which {@code SNSEvent} exposes; {@link #API_GATEWAY_SHARED}: SLF4J, so the
 * function's log lines reach the server's log). A class the package lacks comes from the parent too.
 *
 * <p>Resources follow the same rule, and a resource the package has hides the host's copies entirely. Service
 * files ({@code META-INF/services/…}) never come from the host: they name implementation classes of the host's
 * copies of a library, which inside the function would be a {@code ServiceConfigurationError} (or the host's
 * SLF4J binding leaking into the function). Nor do the AWS SDK's {@code …/execution.interceptors} files, for the
 * same reason: a host with the enhanced DynamoDB client would hand the function's SDK the host's interceptor class,
 * which fails every DynamoDB client the function builds.
 */
final class FunctionClassLoader extends URLClassLoader {

    private static final List<String> JDK = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");
    private static final String LAMBDA_RUNTIME = "com.amazonaws.services.lambda.runtime.";

    /** What the SNS runtime shares beyond the JDK: the Lambda types, and Joda-Time which {@code SNSEvent} exposes. */
    static final List<String> SNS_SHARED = List.of(LAMBDA_RUNTIME, "org.joda.time.");
    /** What the Kinesis runtime shares beyond the JDK: the Lambda types ({@code KinesisEvent} exposes nothing else). */
    static final List<String> KINESIS_SHARED = List.of(LAMBDA_RUNTIME);
    /** What the API Gateway runtime shares beyond the JDK: the Lambda types, and SLF4J so log lines reach the server's log. */
    static final List<String> API_GATEWAY_SHARED = List.of("org.slf4j.", LAMBDA_RUNTIME);

    private static final String SERVICES = "META-INF/services/";
    /** The AWS SDK v2's per-service interceptor lists ({@code software/amazon/awssdk/services/<service>/execution.interceptors}). */
    private static final String SDK_INTERCEPTORS = "/execution.interceptors";

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final List<String> shared;

    /**
     * @param name   the loader's name (in stack traces and heap dumps)
     * @param shared package prefixes (with the trailing dot) loaded from the parent, beyond the JDK's
     * @throws IllegalArgumentException when the path cannot be made a URL
     */
    FunctionClassLoader(String name, Path deploymentPackage, List<String> shared, ClassLoader parent) {
        super(name, new URL[] {url(deploymentPackage)}, parent);
        this.shared = List.copyOf(shared);
    }

    private static URL url(Path deploymentPackage) {
        try {
            return deploymentPackage.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("cannot read " + deploymentPackage + ": " + e.getMessage(), e);
        }
    }

    private boolean shared(String name) {
        for (String prefix : JDK) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        for (String prefix : shared) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (shared(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException notInPackage) {
                    c = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = shared(name.replace('/', '.')) ? null : findResource(name);
        return own != null ? own : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        Enumeration<URL> own = findResources(name);
        if (own.hasMoreElements() || name.startsWith(SERVICES) || name.endsWith(SDK_INTERCEPTORS)) {
            return own;
        }
        return getParent().getResources(name);
    }

    @Override
    public void close() {
        try {
            super.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the function's class loader", e);
        }
    }
}
