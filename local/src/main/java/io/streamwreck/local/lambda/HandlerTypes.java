package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/** What the local runtimes check of a handler class before creating it, as Lambda's Java runtime does. */
final class HandlerTypes {

    private HandlerTypes() {
    }

    /**
     * False only when {@code type} declares {@code RequestHandler<X, ?>} directly with an X other than
     * {@code eventType} (a handler inheriting its interface is given the benefit of the doubt, as Lambda does).
     */
    static boolean takes(Class<?> type, Class<?> eventType) {
        for (Type t : type.getGenericInterfaces()) {
            if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                return p.getActualTypeArguments()[0] == eventType;
            }
        }
        return true;
    }
}
