package io.streamwreck.local.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;

/**
 * Loads a Lambda function from its deployment jar, isolated the way the Lambda Java runtime isolates it: the
 * function's own classes and libraries (its logging binding, its Redis client, its copy of streamwreck's
 * core) come from the jar first; only the runtime's interfaces and event classes
 * ({@code com.amazonaws.services.lambda.runtime.*}, and Joda-Time which the events expose) are shared with
 * the host, so that the host can build the event the function receives.
 *
 * <p>Resources follow the same rule, and a resource the jar has hides the host's copies entirely: otherwise
 * the host's {@code META-INF/services} entries (its SLF4J binding, say) would leak into the function.
 */
final class SnsFunctionClassLoader extends URLClassLoader {

    private static final List<String> SHARED = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "com.amazonaws.services.lambda.runtime.", "org.joda.time.");

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private SnsFunctionClassLoader(URL jar, ClassLoader host) {
        super("lambda-function", new URL[] {jar}, host);
    }

    /**
     * @throws IllegalArgumentException when {@code jar} is not a readable file
     */
    static SnsFunctionClassLoader of(Path jar, ClassLoader host) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no deployment jar at " + jar.toAbsolutePath()
                    + " (build it with: mvn -pl notified-lambda -am package -DskipTests)");
        }
        try {
            return new SnsFunctionClassLoader(jar.toUri().toURL(), host);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("cannot read " + jar, e);
        }
    }

    private static boolean shared(String name) {
        for (String prefix : SHARED) {
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
                } catch (ClassNotFoundException notInJar) {
                    return super.loadClass(name, resolve);
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
        return own.hasMoreElements() ? own : getParent().getResources(name);
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
