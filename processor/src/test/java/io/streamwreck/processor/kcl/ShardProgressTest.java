package io.streamwreck.processor.kcl;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardProgressTest {

    private final ShardProgress progress = new ShardProgress();
    private final CompletableFuture<Void> first = new CompletableFuture<>();
    private final CompletableFuture<Void> second = new CompletableFuture<>();
    private final CompletableFuture<Void> third = new CompletableFuture<>();

    ShardProgressTest() {
        progress.add(new Position("100", 0), first);
        progress.add(new Position("200", 0), second);
        progress.add(new Position("300", 2), third);
    }

    @Test
    void nothingIsCheckpointableBeforeTheFirstBatchIsPublished() {
        second.complete(null);

        assertThat(progress.publishedUpTo()).isEmpty();
        assertThat(progress.pendingBatches()).isEqualTo(3);
    }

    @Test
    void theCheckpointStopsAtTheFirstUnpublishedBatchEvenWhenLaterOnesArePublished() {
        first.complete(null);
        third.complete(null);

        assertThat(progress.publishedUpTo()).contains(new Position("100", 0));
        assertThat(progress.pendingBatches()).isEqualTo(2);

        second.complete(null);
        assertThat(progress.publishedUpTo()).contains(new Position("300", 2));
        assertThat(progress.pendingBatches()).isZero();
    }

    @Test
    void waitingGivesUpAfterTheTimeoutWhileSnsIsBehind() throws Exception {
        first.complete(null);

        assertThat(progress.awaitPendingAtMost(2, Duration.ZERO)).isTrue();
        assertThat(progress.awaitPendingAtMost(0, Duration.ofMillis(50))).isFalse();
    }

    @Test
    void aBatchThePublisherGaveUpOnEndsTheWaitWithAnError() {
        first.completeExceptionally(new IllegalStateException("the notice publisher closed before publishing"));

        assertThatThrownBy(() -> progress.awaitPendingAtMost(0, Duration.ofSeconds(5)))
                .isInstanceOf(ShardProgress.NoticesNotPublishedException.class)
                .hasMessageContaining("will not be published");
        assertThat(progress.publishedUpTo()).isEmpty();
    }
}
