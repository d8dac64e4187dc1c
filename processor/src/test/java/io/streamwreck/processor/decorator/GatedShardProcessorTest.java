package io.streamwreck.processor.decorator;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.DeliveredBatch;
import io.streamwreck.publish.NoticeFactory;
import io.streamwreck.publish.NoticePublisher;
import io.streamwreck.publish.OutgoingNotice;
import io.streamwreck.publish.PublisherStats;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.checkpoint.Checkpoint;
import software.amazon.kinesis.checkpoint.ShardRecordProcessorCheckpointer;
import software.amazon.kinesis.exceptions.KinesisClientLibException;
import software.amazon.kinesis.leases.ShardInfo;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.Checkpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The decorator's gating against KCL's real {@link ShardRecordProcessorCheckpointer} (its validation, its
 * SHARD_END, its prepared checkpoints). Beneath it, the lease table is replaced by a stub of KCL's {@link Checkpointer}
 * interface that records what would be written — KCL's library interface, not an AWS API; the lease table itself is
 * exercised by DecoratedKclAppIT. The notice publisher is a test double of the project's own interface whose futures
 * the test completes, standing in for SNS accepting the notices.
 */
class GatedShardProcessorTest {

    private static final String SHARD = "shardId-000000000000";

    /** KCL's lease-level checkpointer: records each checkpoint and whether every notice was published by then. */
    final class LeaseStub implements Checkpointer {
        final List<String> written = new ArrayList<>();
        final List<Boolean> allPublishedWhenWritten = new ArrayList<>();

        @Override
        public void setCheckpoint(String leaseKey, ExtendedSequenceNumber checkpoint, String concurrencyToken) {
            written.add(checkpoint.subSequenceNumber() == 0 ? checkpoint.sequenceNumber()
                    : checkpoint.sequenceNumber() + ":" + checkpoint.subSequenceNumber());
            allPublishedWhenWritten.add(publisher.futures.stream().allMatch(CompletableFuture::isDone));
        }

        @Override
        public ExtendedSequenceNumber getCheckpoint(String leaseKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Checkpoint getCheckpointObject(String leaseKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void prepareCheckpoint(String leaseKey, ExtendedSequenceNumber pending, String concurrencyToken) {
        }

        @Override
        public void prepareCheckpoint(String leaseKey, ExtendedSequenceNumber pending, String concurrencyToken, byte[] state) {
        }

        @Override
        public void operation(String operation) {
        }

        @Override
        public String operation() {
            return "test";
        }
    }

    /** Keeps every notice; SNS "accepts" them only when the test completes their futures. */
    static final class HeldPublisher implements NoticePublisher {
        final List<OutgoingNotice> notices = new ArrayList<>();
        final List<CompletableFuture<Void>> futures = new ArrayList<>();

        @Override
        public synchronized CompletableFuture<Void> publish(List<OutgoingNotice> batch) {
            notices.addAll(batch);
            CompletableFuture<Void> f = new CompletableFuture<>();
            futures.add(f);
            return f;
        }

        synchronized void acceptAll() {
            futures.forEach(f -> f.complete(null));
        }

        @Override
        public void flush() {
        }

        @Override
        public PublisherStats stats() {
            return new PublisherStats(0, 0, 0, 0);
        }

        @Override
        public void close() {
        }

        synchronized List<DeliveredBatch> delivered() {
            return notices.stream().map(n -> n.notice().batch()).toList();
        }

        synchronized List<String> processed() {
            return notices.stream().flatMap(n -> n.notice().processed().stream()).map(RecordKey::toString).toList();
        }
    }

    /** An application processor whose processRecords the test scripts. */
    static final class Scripted implements ShardRecordProcessor {
        Consumer<ProcessRecordsInput> onRecords = in -> { };
        Consumer<ShardEndedInput> onShardEnd = in -> { };
        Consumer<ShutdownRequestedInput> onShutdown = in -> { };
        final List<List<KinesisClientRecord>> seen = new ArrayList<>();
        boolean leaseLost;

        @Override
        public void initialize(InitializationInput input) {
        }

        @Override
        public void processRecords(ProcessRecordsInput input) {
            seen.add(input.records());
            onRecords.accept(input);
        }

        @Override
        public void leaseLost(LeaseLostInput input) {
            leaseLost = true;
        }

        @Override
        public void shardEnded(ShardEndedInput input) {
            onShardEnd.accept(input);
        }

        @Override
        public void shutdownRequested(ShutdownRequestedInput input) {
            onShutdown.accept(input);
        }
    }

    interface KclCall {
        void run() throws KinesisClientLibException;
    }

    /** The application's checkpoint call on each non-empty batch. */
    static Consumer<ProcessRecordsInput> checkpointing(java.util.function.Function<ProcessRecordsInput, KclCall> call) {
        return in -> {
            if (in.records().isEmpty()) {
                return;
            }
            try {
                call.apply(in).run();
            } catch (KinesisClientLibException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    final HeldPublisher publisher = new HeldPublisher();
    final LeaseStub lease = new LeaseStub();
    final Scripted app = new Scripted();
    ShardRecordProcessorCheckpointer kcl;
    ShardRecordProcessor gated;

    @BeforeEach
    void setUp() {
        kcl = new ShardRecordProcessorCheckpointer(new ShardInfo(SHARD, "token", List.of(), ExtendedSequenceNumber.TRIM_HORIZON), lease);
        kcl.setInitialCheckpointValue(ExtendedSequenceNumber.TRIM_HORIZON);
        gated = new GatedProcessorFactory(() -> app, new NoticeFactory("orders", "billing", "w-1"), publisher, 1000)
                .shardRecordProcessor();
        gated.initialize(InitializationInput.builder().shardId(SHARD).extendedSequenceNumber(ExtendedSequenceNumber.TRIM_HORIZON).build());
    }

    /** What KCL's ProcessTask does: the largest permitted checkpoint is the batch's last record, then processRecords. */
    private void deliver(long... sequenceNumbers) {
        List<KinesisClientRecord> records = new ArrayList<>();
        for (long s : sequenceNumbers) {
            records.add(KinesisClientRecord.builder().sequenceNumber(String.valueOf(s)).partitionKey("pk-" + s)
                    .data(ByteBuffer.wrap(("r" + s).getBytes(StandardCharsets.UTF_8))).approximateArrivalTimestamp(Instant.EPOCH).build());
        }
        if (!records.isEmpty()) {
            kcl.largestPermittedCheckpointValue(new ExtendedSequenceNumber(records.get(records.size() - 1).sequenceNumber()));
        }
        gated.processRecords(ProcessRecordsInput.builder().records(records).checkpointer(kcl).build());
    }

    @Test
    void theApplicationGetsEveryBatchUnchangedAndEveryRecordIsReportedProcessed() {
        deliver(100, 101, 102);

        assertThat(app.seen).hasSize(1);
        assertThat(app.seen.get(0)).extracting(KinesisClientRecord::sequenceNumber).containsExactly("100", "101", "102");
        assertThat(publisher.delivered()).containsExactly(new DeliveredBatch("100", "102", 3));
        assertThat(publisher.processed()).containsExactly(SHARD + ":100", SHARD + ":101", SHARD + ":102");
    }

    @Test
    void aPlainCheckpointTakesEffectOnlyOnceTheBatchsNoticeIsPublished() {
        app.onRecords = checkpointing(in -> () -> in.checkpointer().checkpoint());

        deliver(100, 101, 102);
        assertThat(lease.written).as("notice not yet accepted").isEmpty();
        deliver(103, 104);
        assertThat(lease.written).as("still nothing accepted").isEmpty();

        publisher.acceptAll();
        deliver();   // KCL's next call (an empty batch)

        assertThat(lease.written).containsExactly("104");
        assertThat(lease.allPublishedWhenWritten).containsOnly(true);
    }

    @Test
    void aCheckpointAtARecordOrSequenceNumberWaitsForItsBatchOnly() {
        app.onRecords = checkpointing(in -> () -> in.checkpointer().checkpoint(in.records().get(1).sequenceNumber()));

        deliver(100, 101, 102);
        publisher.acceptAll();
        deliver(103, 104);   // its own notice pending: only the first batch's request is written

        assertThat(lease.written).containsExactly("101");
    }

    @Test
    void insideAKplAggregateACheckpointAtASubSequenceNumberIsGatedLikeAnyOther() {
        List<KinesisClientRecord> users = new ArrayList<>();
        for (long sub = 0; sub < 3; sub++) {
            users.add(KinesisClientRecord.builder().sequenceNumber("100").subSequenceNumber(sub).aggregated(true).partitionKey("pk")
                    .data(ByteBuffer.wrap(new byte[]{1})).approximateArrivalTimestamp(Instant.EPOCH).build());
        }
        app.onRecords = checkpointing(in -> () -> in.checkpointer().checkpoint("100", 1));
        kcl.largestPermittedCheckpointValue(new ExtendedSequenceNumber("100", 2L));
        gated.processRecords(ProcessRecordsInput.builder().records(users).checkpointer(kcl).build());
        assertThat(lease.written).isEmpty();
        assertThat(publisher.processed()).containsExactly(SHARD + ":100:0", SHARD + ":100:1", SHARD + ":100:2");

        publisher.acceptAll();
        deliver();

        assertThat(lease.written).containsExactly("100:1");
    }

    @Test
    void aPreparedCheckpointIsPreparedAtOnceAndCheckpointedOnlyOncePublished() {
        app.onRecords = checkpointing(in -> () -> in.checkpointer().prepareCheckpoint(in.records().get(0).sequenceNumber()).checkpoint());

        deliver(100, 101);
        assertThat(lease.written).isEmpty();
        publisher.acceptAll();
        deliver();

        assertThat(lease.written).containsExactly("100");
    }

    @Test
    void aCheckpointAtAPositionAlreadyPublishedIsWrittenAtOnceWithKclsValidation() {
        deliver(100, 101);
        publisher.acceptAll();
        app.onRecords = checkpointing(in -> () -> in.checkpointer().checkpoint("100"));
        deliver(102);
        assertThat(lease.written).as("written during the call, before the batch's own notice").containsExactly("100");

        // KCL refuses to go back; the application sees KCL's own exception.
        app.onRecords = checkpointing(in -> () -> in.checkpointer().checkpoint("99"));
        assertThatThrownBy(() -> deliver(103)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBatchWhoseProcessRecordsThrowsIsReportedDeliveredButNotProcessedAndTheExceptionReachesKcl() {
        app.onRecords = in -> {
            throw new IllegalStateException("boom");
        };

        assertThatThrownBy(() -> deliver(100, 101)).hasMessage("boom");

        assertThat(publisher.delivered()).containsExactly(new DeliveredBatch("100", "101", 2));
        assertThat(publisher.processed()).isEmpty();
    }

    @Test
    void recordsMarkedFailedOrSkippedAreLeftOutOfProcessed() {
        app.onRecords = in -> {
            RecordOutcomes.failed(in.records().get(0));
            RecordOutcomes.skipped(in.records().get(2));
        };

        deliver(100, 101, 102, 103);

        assertThat(publisher.processed()).containsExactly(SHARD + ":101", SHARD + ":103");
        assertThatThrownBy(() -> RecordOutcomes.failed(KinesisClientRecord.builder().sequenceNumber("1").build()))
                .as("outside processRecords").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shardEndIsCheckpointedOnlyAfterEveryNoticeOfTheShardIsPublished() {
        deliver(100, 101);
        app.onShardEnd = in -> {
            try {
                in.checkpointer().checkpoint();
            } catch (KinesisClientLibException e) {
                throw new IllegalStateException(e);
            }
        };
        kcl.sequenceNumberAtShardEnd(new ExtendedSequenceNumber("101"));
        kcl.largestPermittedCheckpointValue(ExtendedSequenceNumber.SHARD_END);
        // SNS accepts only once the shard end is blocked waiting for it, on another thread; the shard end must wait.
        Thread endingThread = Thread.currentThread();
        CompletableFuture.runAsync(() -> {
            await("the shard end waiting for its notices").atMost(Duration.ofMinutes(1))
                    .until(() -> endingThread.getState() == Thread.State.WAITING
                            || endingThread.getState() == Thread.State.TIMED_WAITING);
            publisher.acceptAll();
        });

        gated.shardEnded(ShardEndedInput.builder().checkpointer(kcl).build());

        assertThat(lease.written).containsExactly("SHARD_END");
        assertThat(lease.allPublishedWhenWritten).containsOnly(true);
    }

    @Test
    void onShutdownARequestedCheckpointIsWrittenOnceItsNoticesArePublishedAndLeaseLossReachesTheApplication() {
        app.onRecords = checkpointing(in -> () -> in.checkpointer().checkpoint());
        deliver(100, 101);
        publisher.acceptAll();

        gated.shutdownRequested(ShutdownRequestedInput.builder().checkpointer(kcl).build());
        assertThat(lease.written).containsExactly("101");

        gated.leaseLost(LeaseLostInput.builder().build());
        assertThat(app.leaseLost).isTrue();
    }

    @Test
    void theLowLevelCheckpointerIsRefusedBecauseItWouldBypassTheGate() {
        app.onRecords = in -> in.checkpointer().checkpointer();

        assertThatThrownBy(() -> deliver(100)).isInstanceOf(UnsupportedOperationException.class);
    }
}
