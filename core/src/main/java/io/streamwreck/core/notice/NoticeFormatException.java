package io.streamwreck.core.notice;

/**
 * A notice that cannot be decoded: not JSON, an unknown version, a missing field or a bad key. The message
 * names the offending field (and index, for keys) so that a malformed notice can be traced and fixed.
 */
public class NoticeFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoticeFormatException(String message) {
        super(message);
    }

    public NoticeFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
