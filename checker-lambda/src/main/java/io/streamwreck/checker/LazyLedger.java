package io.streamwreck.checker;

import io.streamwreck.ledger.LedgerUnavailableException;
import io.streamwreck.ledger.RedisLedger;

import java.util.function.Supplier;

/**
 * The ledger connection, opened when the function starts — or, if Redis cannot be reached then (a failover
 * during a cold start), on the next request that needs it. A function that failed its init would answer 502 on
 * API Gateway until Lambda retried the init; this way every request is answered, 503 while Redis is away.
 * Once open, lettuce reconnects by itself.
 */
final class LazyLedger implements AutoCloseable {

    /** After a failed attempt, requests fail at once for this long instead of queueing behind new attempts. */
    private static final long RETRY_AFTER_NANOS = 1_000_000_000L;

    private final Supplier<RedisLedger> connect;
    private volatile RedisLedger ledger;
    private LedgerUnavailableException lastFailure;
    private long failedAt;

    LazyLedger(Supplier<RedisLedger> connect) {
        this.connect = connect;
        try {
            get();
        } catch (LedgerUnavailableException e) {
            // Answered with 503 by the requests that need the ledger, until one connects.
        }
    }

    /** An open ledger that someone else opened and closes. */
    static LazyLedger of(RedisLedger ledger) {
        return new LazyLedger(() -> ledger);
    }

    /**
     * @throws LedgerUnavailableException when there is no connection yet and Redis still cannot be reached
     */
    RedisLedger get() {
        RedisLedger open = ledger;
        if (open != null) {
            return open;
        }
        synchronized (this) {
            if (ledger != null) {
                return ledger;
            }
            if (lastFailure != null && System.nanoTime() - failedAt < RETRY_AFTER_NANOS) {
                throw new LedgerUnavailableException(lastFailure.getMessage(), lastFailure);
            }
            try {
                ledger = connect.get();
                lastFailure = null;
                return ledger;
            } catch (LedgerUnavailableException e) {
                lastFailure = e;
                failedAt = System.nanoTime();
                throw e;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (ledger != null) {
            ledger.close();
        }
    }
}
