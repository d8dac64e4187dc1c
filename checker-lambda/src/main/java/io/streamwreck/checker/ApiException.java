package io.streamwreck.checker;

import java.util.Map;

/**
 * A request the checker refuses, with the answer it gets: a 4xx status, an error code for programs, a message
 * for people that names the offending item (and its index, when it is one item of the keys).
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final Integer index;
    private final transient Map<String, String> headers;

    ApiException(int status, String code, String message, Integer index, Map<String, String> headers) {
        // No stack trace: this is an answer, not a failure, and it is thrown for every bad request.
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.index = index;
        this.headers = Map.copyOf(headers);
    }

    /** 400: malformed input. */
    static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message, null, Map.of());
    }

    /** 400: one item of the keys is malformed. */
    static ApiException badItem(String code, int index, String message) {
        return new ApiException(400, code, message, index, Map.of());
    }

    /** 413: more than a limit allows. */
    static ApiException tooLarge(String code, String message) {
        return new ApiException(413, code, message, null, Map.of());
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** The index of the offending key, or null when the problem is not one key. */
    Integer index() {
        return index;
    }

    /** Extra response headers, e.g. {@code Allow} for 405. */
    Map<String, String> headers() {
        return headers;
    }
}
