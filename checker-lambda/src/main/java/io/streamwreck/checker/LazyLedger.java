package io.streamwreck.checker;

import io.streamwreck.ledger.LedgerUnavailableException;
import io.streamwreck.ledger.RedisLedger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The ledger connection, opened when the function starts — or, if Redis cannot be reached then (a failover
 * during a cold start), on the next request that needs it. A function that failed its init would answer 502 on
 * API Gateway until Lambda retried the init; this way every request is answered, 503 while Redis is away.
 * Once open, lettuce reconnects by itself.
 *
 * <p>The first connection can be opened on a thread of its own ({@link #openInBackground}) while the function
 * does the rest of its init; {@link #get()} waits for it. For SnapStart the connection is closed before the
 * snapshot ({@link #disconnect()}) and opened again after the restore ({@link #reconnect()}), so a restored
 * function never uses a connection from the snapshot.
 */
final class LazyLedger implements AutoCloseable {

    /** After a failed attempt, requests fail at once for this long instead of queueing behind new attempts. */
    private static final long RETRY_AFTER_NANOS = 1_000_000_000L;

    private final Supplier<RedisLedger> connect;
    private final boolean owned;
    private volatile RedisLedger ledger;
    private CompletableFuture<RedisLedger> opening;
    private LedgerUnavailableException lastFailure;
    private long failedAt;

    /** Connects now; a Redis that cannot be reached is not an error here (requests get 503 until it can). */
    LazyLedger(Supplier<RedisLedger> connect) {
        this(connect, true);
        reconnect();
    }

    private LazyLedger(Supplier<RedisLedger> connect, boolean owned) {
        this.connect = connect;
        this.owned = owned;
    }

    /** Starts connecting on a thread of its own; {@link #get()} waits for the outcome. */
    static LazyLedger openInBackground(Supplier<RedisLedger> connect) {
        LazyLedger lazy = new LazyLedger(connect, true);
        CompletableFuture<RedisLedger> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                future.complete(connect.get());
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }, "ledger-connect");
        thread.setDaemon(true);
        synchronized (lazy) {
            lazy.opening = future;
        }
        thread.start();
        return lazy;
    }

    /** An open ledger that someone else opened and closes. */
    static LazyLedger of(RedisLedger ledger) {
        LazyLedger lazy = new LazyLedger(() -> ledger, false);
        lazy.ledger = ledger;
        return lazy;
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
            if (opening != null) {
                CompletableFuture<RedisLedger> pending = opening;
                opening = null;
                try {
                    return opened(pending.join());
                } catch (CompletionException e) {
                    if (e.getCause() instanceof LedgerUnavailableException failure) {
                        throw failed(failure);
                    }
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
            if (lastFailure != null && System.nanoTime() - failedAt < RETRY_AFTER_NANOS) {
                throw new LedgerUnavailableException(lastFailure.getMessage(), lastFailure);
            }
            try {
                return opened(connect.get());
            } catch (LedgerUnavailableException e) {
                throw failed(e);
            }
        }
    }

    private RedisLedger opened(RedisLedger open) {
        ledger = open;
        lastFailure = null;
        return open;
    }

    private LedgerUnavailableException failed(LedgerUnavailableException e) {
        lastFailure = e;
        failedAt = System.nanoTime();
        return e;
    }

    /** Tries to connect now (unless connected); when Redis cannot be reached, requests get 503 until it can. */
    synchronized void reconnect() {
        lastFailure = null;
        try {
            get();
        } catch (LedgerUnavailableException e) {
            // Answered with 503 by the requests that need the ledger, until one connects.
        }
    }

    /** Closes the connection this opened (when it opened one); the next request, or {@link #reconnect()}, opens another. */
    synchronized void disconnect() {
        if (!owned) {
            return;
        }
        if (opening != null) {
            try {
                ledger = opening.join();
            } catch (CompletionException e) {
                // Nothing was opened.
            }
            opening = null;
        }
        RedisLedger open = ledger;
        ledger = null;
        lastFailure = null;
        if (open != null) {
            open.close();
        }
    }

    /** Whether a connection is open or being opened. */
    synchronized boolean isOpen() {
        return ledger != null || opening != null;
    }

    @Override
    public synchronized void close() {
        if (ledger != null) {
            ledger.close();
        }
        if (opening != null) {
            opening.thenAccept(RedisLedger::close);
        }
    }
}
