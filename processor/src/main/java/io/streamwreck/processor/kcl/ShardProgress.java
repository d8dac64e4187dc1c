package io.streamwreck.processor.kcl;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One shard's batches whose notices are not yet known to be published, in delivery order. The checkpoint may
 * only move to the end of a batch when that batch and every earlier one are published: notices of one shard can
 * complete out of order (a refused entry is retried after later ones went through).
 *
 * <p>Confined to the shard's KCL thread; the futures complete on the publisher's thread.
 */
final class ShardProgress {

    private record Pending(Position last, CompletableFuture<Void> published) {
    }

    private final Deque<Pending> pending = new ArrayDeque<>();
    private Position publishedUpTo;

    void add(Position last, CompletableFuture<Void> published) {
        pending.addLast(new Pending(last, published));
    }

    /** The end of the longest fully published prefix of batches, if any batch was ever published. */
    Optional<Position> publishedUpTo() {
        while (!pending.isEmpty() && isPublished(pending.peekFirst().published())) {
            publishedUpTo = pending.pollFirst().last();
        }
        return Optional.ofNullable(publishedUpTo);
    }

    int pendingBatches() {
        publishedUpTo();
        return pending.size();
    }

    /**
     * Waits until at most {@code max} batches are unpublished, or the time is up.
     *
     * @return whether the condition holds
     * @throws NoticesNotPublishedException when a batch's notices can no longer be published (publisher closed)
     */
    boolean awaitPendingAtMost(int max, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pendingBatches() > max) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                pending.peekFirst().published().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                // Failed only when the publisher closed: the batch stays unpublished and is never checkpointed.
                throw new NoticesNotPublishedException(pending.size() + " batches of this shard will not be published: "
                        + e.getCause().getMessage());
            }
        }
        return true;
    }

    /** Thrown when waiting is pointless: the publisher has given up on a batch (it was closed). */
    static final class NoticesNotPublishedException extends IllegalStateException {
        NoticesNotPublishedException(String message) {
            super(message);
        }
    }

    private static boolean isPublished(CompletableFuture<Void> future) {
        return future.isDone() && !future.isCompletedExceptionally();
    }
}
