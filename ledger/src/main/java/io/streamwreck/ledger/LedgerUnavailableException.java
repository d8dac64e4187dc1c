package io.streamwreck.ledger;

/**
 * Redis did not answer (down, unreachable, too slow, or refused a command). Callers surface it — the checker
 * answers 503, the notified Lambda fails the invocation so it is retried — and never swallow it.
 */
public class LedgerUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LedgerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
