package io.streamwreck.local.standin;

/** A stand-in that could not be found, started or reached; the message says which and what to do. */
public class LocalStackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LocalStackException(String message) {
        super(message);
    }

    public LocalStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
