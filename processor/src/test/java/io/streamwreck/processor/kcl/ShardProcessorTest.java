package io.streamwreck.processor.kcl;

import io.streamwreck.processor.AuditLog;
import io.streamwreck.processor.handler.CountingRecordHandler;
import io.streamwreck.processor.publish.DiscardingNoticePublisher;
import io.streamwreck.processor.publish.NoticeFactory;
import io.streamwreck.processor.publish.NoticePublisher;
import io.streamwreck.processor.publish.OutgoingNotice;
import io.streamwreck.processor.publish.PublisherStats;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.processor.Checkpointer;
import software.amazon.kinesis.processor.PreparedCheckpointer;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checkpoint invariant when reporting a batch fails in ways no stand-in produces: a publisher that throws
 * synchronously (injected here) must leave every later checkpoint behind the batch it could not report.
 * KCL's checkpointer is replaced by one that records the positions it is asked for — KCL's library interface, not an
 * AWS API; the lease table itself is exercised by the integration tests.
 */
class ShardProcessorTest {

    /** Records checkpoint calls. */
    static final class RecordingCheckpointer implements RecordProcessorCheckpointer {
        final List<String> checkpoints = new ArrayList<>();

        @Override
        public void checkpoint() {
            checkpoints.add("SHARD_END");
        }

        @Override
        public void checkpoint(Record record) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkpoint(String sequenceNumber) {
            checkpoints.add(sequenceNumber);
        }

        @Override
        public void checkpoint(String sequenceNumber, long subSequenceNumber) {
            checkpoints.add(subSequenceNumber == 0 ? sequenceNumber : sequenceNumber + ":" + subSequenceNumber);
        }

        @Override
        public PreparedCheckpointer prepareCheckpoint() {
            throw new UnsupportedOperationException();
        }

        @Override
        public PreparedCheckpointer prepareCheckpoint(byte[] state) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PreparedCheckpointer prepareCheckpoint(Record record) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PreparedCheckpointer prepareCheckpoint(Record record, byte[] state) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PreparedCheckpointer prepareCheckpoint(String sequenceNumber) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PreparedCheckpointer prepareCheckpoint(String sequenceNumber, byte[] state) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PreparedCheckpointer prepareCheckpoint(String sequenceNumber, long subSequenceNumber) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PreparedCheckpointer prepareCheckpoint(String sequenceNumber, long subSequenceNumber, byte[] state) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Checkpointer checkpointer() {
            throw new UnsupportedOperationException();
        }
    }

    /** A publisher whose n-th publish call throws (the fault), the others are accepted at once. */
    static final class FailingOnce implements NoticePublisher {
        final DiscardingNoticePublisher accepted = new DiscardingNoticePublisher();
        final AtomicInteger calls = new AtomicInteger();
        final int failingCall;

        FailingOnce(int failingCall) {
            this.failingCall = failingCall;
        }

        @Override
        public CompletableFuture<Void> publish(List<OutgoingNotice> notices) {
            if (calls.incrementAndGet() == failingCall) {
                throw new IllegalStateException("injected: the publisher refused the batch");
            }
            return accepted.publish(notices);
        }

        @Override
        public void flush() {
        }

        @Override
        public PublisherStats stats() {
            return accepted.stats();
        }

        @Override
        public void close() {
        }
    }

    private final RecordingCheckpointer checkpointer = new RecordingCheckpointer();

    @Test
    void everyPublishedBatchIsCheckpointed() {
        ShardProcessor shard = shard(new FailingOnce(0));

        shard.processRecords(batch(100, 101, 102));
        shard.processRecords(batch(103, 104));

        assertThat(checkpointer.checkpoints).containsExactly("102", "104");
    }

    @Test
    void noCheckpointPassesABatchThatCouldNotBeReported() {
        ShardProcessor shard = shard(new FailingOnce(2));

        shard.processRecords(batch(100, 101, 102));
        shard.processRecords(batch(103, 104));   // its notices never reach the publisher
        shard.processRecords(batch(105, 106));
        shard.processRecords(batch());           // an empty poll: nothing new may be checkpointed

        assertThat(checkpointer.checkpoints).containsExactly("102");
    }

    private ShardProcessor shard(NoticePublisher publisher) {
        ShardProcessor shard = new ShardProcessor(new CountingRecordHandler(), new NoticeFactory("orders", "billing", "w-1"),
                publisher, AuditLog.none(), new ProcessorCounters(), 1000, Duration.ZERO, Clock.systemUTC());
        shard.initialize(InitializationInput.builder().shardId("shardId-000000000000")
                .extendedSequenceNumber(ExtendedSequenceNumber.TRIM_HORIZON).build());
        return shard;
    }

    private ProcessRecordsInput batch(long... sequenceNumbers) {
        List<KinesisClientRecord> records = new ArrayList<>();
        for (long seq : sequenceNumbers) {
            records.add(KinesisClientRecord.builder().sequenceNumber(Long.toString(seq)).partitionKey("pk")
                    .data(ByteBuffer.wrap(new byte[]{1})).approximateArrivalTimestamp(Instant.now()).build());
        }
        return ProcessRecordsInput.builder().records(records).checkpointer(checkpointer).build();
    }
}
