package io.streamwreck.ledger;

/** The consumer's lease table could not be read (DynamoDB unreachable, throttled past its retries, or refusing). */
public final class CheckpointsUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CheckpointsUnavailableException(String table, Throwable cause) {
        super("cannot read the lease table " + table + ": " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
    }
}
