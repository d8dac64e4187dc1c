package io.streamwreck.adapter.staging;

/** The staging database failed or did not answer in time: the caller retries later (or answers 503). */
public final class StagingException extends RuntimeException {

    public StagingException(String message, Throwable cause) {
        super(message, cause);
    }
}
