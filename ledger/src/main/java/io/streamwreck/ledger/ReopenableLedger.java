package io.streamwreck.ledger;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A Lambda's ledger connection: opened on a thread of its own while the function does the rest of its init,
 * closed before a SnapStart snapshot ({@link #disconnect()}) and opened again after the restore (or by the next
 * {@link #get()}), so that a restored function never uses a connection from the snapshot. Once open, lettuce
 * reconnects by itself. Thread-safe.
 *
 * <p>{@link #get()} returns the open connection, waits for the one being opened, or opens one; when Redis cannot be
 * reached it throws {@link LedgerUnavailableException}, which the caller surfaces (the notified function fails the
 * invocation so that Lambda retries it; the checker answers 503). After a failed attempt, {@code get()} fails at
 * once for {@code retryAfterFailure} instead of queueing every caller behind a new attempt (the checker: its
 * requests come in parallel; the notified function, one invocation at a time, tries again each time).
 */
public final class ReopenableLedger implements AutoCloseable {

    private final Supplier<RedisLedger> connect;
    private final boolean owned;
    private final long retryAfterNanos;
    private volatile RedisLedger ledger;
    private CompletableFuture<RedisLedger> opening;
    private LedgerUnavailableException lastFailure;
    private long failedAt;

    private ReopenableLedger(Supplier<RedisLedger> connect, boolean owned, Duration retryAfterFailure) {
        this.connect = connect;
        this.owned = owned;
        this.retryAfterNanos = retryAfterFailure.toNanos();
    }

    /**
     * Starts opening a connection with {@code connect} on a thread of its own; {@link #get()} waits for it. This
     * opens (and closes, and reopens) its own connections.
     */
    public static ReopenableLedger openInBackground(Supplier<RedisLedger> connect, Duration retryAfterFailure) {
        ReopenableLedger reopenable = new ReopenableLedger(connect, true, retryAfterFailure);
        CompletableFuture<RedisLedger> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                future.complete(connect.get());
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }, "ledger-connect");
        thread.setDaemon(true);
        synchronized (reopenable) {
            reopenable.opening = future;
        }
        thread.start();
        return reopenable;
    }

    /** A ledger someone else opened and closes: never closed or reopened here. */
    public static ReopenableLedger of(RedisLedger ledger) {
        ReopenableLedger reopenable = new ReopenableLedger(() -> ledger, false, Duration.ZERO);
        reopenable.ledger = ledger;
        return reopenable;
    }

    /**
     * The open ledger.
     *
     * @throws LedgerUnavailableException when there is no connection and Redis cannot be reached
     */
    public RedisLedger get() {
        RedisLedger open = ledger;
        return open != null ? open : open();
    }

    private synchronized RedisLedger open() {
        if (ledger != null) {
            return ledger;
        }
        if (opening != null) {
            CompletableFuture<RedisLedger> pending = opening;
            opening = null;
            try {
                return opened(pending.join());
            } catch (CompletionException e) {
                // Opened in the background: rethrow what connect threw, as if it had been called here.
                if (e.getCause() instanceof LedgerUnavailableException failure) {
                    throw failed(failure);
                }
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }
        if (lastFailure != null && System.nanoTime() - failedAt < retryAfterNanos) {
            throw new LedgerUnavailableException(lastFailure.getMessage(), lastFailure);
        }
        try {
            return opened(connect.get());
        } catch (LedgerUnavailableException e) {
            throw failed(e);
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

    /**
     * Waits for the connection being opened, or tries to open one now (unless open), whatever the last failure;
     * when Redis cannot be reached, {@link #get()} tries again later.
     */
    public synchronized void reconnect() {
        lastFailure = null;
        try {
            get();
        } catch (LedgerUnavailableException e) {
            // The callers of get() surface it, until one connects.
        }
    }

    /** Closes the connection this opened (when it opened one); the next {@link #get()} opens another. */
    public synchronized void disconnect() {
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
    public synchronized boolean isOpen() {
        return ledger != null || opening != null;
    }

    /** Closes the connection this opened (as {@link #disconnect()}); a ledger given to {@link #of} stays open. */
    @Override
    public void close() {
        disconnect();
    }
}
