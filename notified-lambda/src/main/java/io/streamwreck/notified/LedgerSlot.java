package io.streamwreck.notified;

import io.streamwreck.ledger.LedgerUnavailableException;
import io.streamwreck.ledger.RedisLedger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The function's ledger connection, which can be opened in the background (while the rest of the function
 * initialises), closed before a SnapStart snapshot and opened again after a restore.
 *
 * <p>{@link #get()} returns the open connection, waits for one being opened, or opens one; when Redis cannot be
 * reached it throws {@link LedgerUnavailableException}, which fails the invocation so that Lambda retries it.
 */
final class LedgerSlot implements AutoCloseable {

    private final Supplier<RedisLedger> connect;
    private final boolean owned;
    private volatile RedisLedger ledger;
    private CompletableFuture<RedisLedger> opening;

    private LedgerSlot(Supplier<RedisLedger> connect, RedisLedger ledger, boolean owned) {
        this.connect = connect;
        this.ledger = ledger;
        this.owned = owned;
    }

    /** A slot that opens (and closes, and reopens) its own connections with {@code connect}. */
    static LedgerSlot connecting(Supplier<RedisLedger> connect) {
        return new LedgerSlot(connect, null, true);
    }

    /** A ledger someone else opened and closes: never closed or reopened here. */
    static LedgerSlot of(RedisLedger ledger) {
        return new LedgerSlot(() -> ledger, ledger, false);
    }

    /** Starts opening the connection on a thread of its own; {@link #get()} waits for it. */
    synchronized void openInBackground() {
        if (ledger == null && opening == null) {
            CompletableFuture<RedisLedger> future = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    future.complete(connect.get());
                } catch (Throwable e) {
                    future.completeExceptionally(e);
                }
            }, "ledger-connect");
            thread.setDaemon(true);
            thread.start();
            opening = future;
        }
    }

    /**
     * The open ledger.
     *
     * @throws LedgerUnavailableException when Redis cannot be reached
     */
    RedisLedger get() {
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
                ledger = pending.join();
            } catch (CompletionException e) {
                // Opened in the background: rethrow what connect threw, as if it had been called here.
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw e;
            }
            return ledger;
        }
        ledger = connect.get();
        return ledger;
    }

    /** Whether a connection is open (or being opened). */
    synchronized boolean isOpen() {
        return ledger != null || opening != null;
    }

    /** Closes the connection this slot opened; the next {@link #get()} opens a new one. */
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
        if (ledger != null) {
            RedisLedger open = ledger;
            ledger = null;
            open.close();
        }
    }

    @Override
    public void close() {
        disconnect();
    }
}
