package io.streamwreck.producer;

/**
 * Why a record's future failed: its deadline passed before any attempt succeeded (the message carries the last
 * error), Kinesis rejected it for good (for example the stream does not exist), or the writer was closed
 * around it. The record may still be in the stream when an attempt timed out after Kinesis had stored it —
 * see {@link KinesisWriter} on at-least-once.
 */
public final class RecordNotWrittenException extends RuntimeException {

    /** Why the writer gave up on the record. */
    public enum Reason {
        /** The record's deadline passed first; {@link #getMessage()} carries the last error, if any. */
        DEADLINE,
        /** Kinesis answered with an error no retry can fix. */
        REJECTED,
        /**
         * The writer was closed before the record finished; only when close() was interrupted (or a call outlived
         * every bound). The record may be in the stream if an attempt was under way.
         */
        CLOSED
    }

    private final Reason reason;
    private final int attempts;
    private final String lastError;

    RecordNotWrittenException(Reason reason, int attempts, String lastError, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.attempts = attempts;
        this.lastError = lastError;
    }

    public Reason reason() {
        return reason;
    }

    /** PutRecords calls that carried the record (0 if it never left the writer). */
    public int attempts() {
        return attempts;
    }

    /** The last error Kinesis or the connection reported for this record, or null if there was none. */
    public String lastError() {
        return lastError;
    }
}
