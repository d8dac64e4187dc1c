package io.streamwreck.processor.handler;

import java.lang.reflect.InvocationTargetException;
import java.util.Iterator;
import java.util.Optional;
import java.util.ServiceLoader;

/** Finds the record handler to run: a named class, else one registered with ServiceLoader, else the default. */
public final class RecordHandlers {

    private RecordHandlers() {
    }

    /**
     * @param className  a class implementing {@link RecordHandler}, or empty
     * @param skipEvery  {@code --simulate-skip}; only the default handler supports it
     * @throws IllegalArgumentException with a message fit for the user when the class cannot be used
     */
    public static RecordHandler load(Optional<String> className, long skipEvery, ClassLoader loader) {
        if (className.isPresent()) {
            requireNoSkip(skipEvery, className.get());
            return instantiate(className.get(), loader);
        }
        Iterator<RecordHandler> registered = ServiceLoader.load(RecordHandler.class, loader).iterator();
        if (registered.hasNext()) {
            RecordHandler handler = registered.next();
            requireNoSkip(skipEvery, handler.getClass().getName());
            return handler;
        }
        return new CountingRecordHandler(skipEvery);
    }

    private static void requireNoSkip(long skipEvery, String name) {
        if (skipEvery > 0) {
            throw new IllegalArgumentException("--simulate-skip works with the default handler only, not with " + name);
        }
    }

    private static RecordHandler instantiate(String className, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("handler class " + className + " is not on the class path");
        }
        if (!RecordHandler.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("handler class " + className + " does not implement " + RecordHandler.class.getName());
        }
        try {
            return (RecordHandler) type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalArgumentException("handler class " + className + " needs a public no-argument constructor");
        } catch (InstantiationException | InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalArgumentException("handler class " + className + " failed to start: " + cause);
        }
    }
}
