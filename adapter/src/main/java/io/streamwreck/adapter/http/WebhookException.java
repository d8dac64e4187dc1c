package io.streamwreck.adapter.http;

/** A request the adapter refuses: an HTTP status, an error code and a message naming what is wrong. */
public final class WebhookException extends RuntimeException {

    private final int status;
    private final String code;

    public WebhookException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
