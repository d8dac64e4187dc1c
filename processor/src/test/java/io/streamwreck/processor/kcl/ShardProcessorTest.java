package io.streamwreck.processor.kcl;

import io.streamwreck.processor.AuditLog;
import io.streamwreck.processor.handler.CountingRecordHandler;
import io.streamwreck.processor.publish.DiscardingNoticePublisher;
import io.streamwreck.publish.NoticeFactory;
import io.streamwreck.publish.NoticePublisher;
import io.streamwreck.publish.OutgoingNotice;
import io.streamwreck.publish.PublisherStats;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.processor.Checkpointer;
import software.amazon.kinesis.processor.PreparedCheckpointer;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.kpl.KplAggregate;
import io.streamwreck.core.kpl.KplUserRecord;
import io.streamwreck.core.notice.DeliveredBatch;

import java.math.BigInteger;
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

    /** Accepts every notice at once and keeps it; {@link #stuck} leaves the futures of later calls unfinished (SNS down). */
    static final class Capturing implements NoticePublisher {
        final List<OutgoingNotice> published = new ArrayList<>();
        volatile boolean stuck;

        @Override
        public synchronized CompletableFuture<Void> publish(List<OutgoingNotice> notices) {
            published.addAll(notices);
            return stuck ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
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

        synchronized List<DeliveredBatch> batches() {
            return published.stream().map(n -> n.notice().batch()).toList();
        }

        synchronized List<String> processed() {
            return published.stream().flatMap(n -> n.notice().processed().stream()).map(RecordKey::toString).toList();
        }
    }

    /** Shard 0 of a stream of two: the lower half of the hash-key space. */
    private static final BigInteger SHARD_START = BigInteger.ZERO;
    private static final BigInteger SHARD_END = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
    private static final String IN = "1";
    private static final String OUT = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE).toString();

    @Test
    void anAggregateKclWouldDropIsLeftOutOfEveryDeliveredRangeAndTheRestIsReported() {
        Capturing publisher = new Capturing();
        ShardProcessor shard = shard(publisher, KplDeaggregation.STRICT, Duration.ofSeconds(30), id -> { });

        shard.processRecords(deaggregated(plain(100), aggregate(101, IN, IN), aggregate(102, IN, OUT, IN), plain(103),
                aggregate(104, OUT)));

        assertThat(publisher.batches()).containsExactly(new DeliveredBatch("100", "101", 3), new DeliveredBatch("103", "103", 1));
        assertThat(publisher.processed()).containsExactly(
                "shardId-000000000000:100", "shardId-000000000000:101:0", "shardId-000000000000:101:1", "shardId-000000000000:103");
        // The checkpoint passes the dropped aggregates: they are undelivered, and would be dropped again on every read.
        assertThat(checkpointer.checkpoints).containsExactly("104");
    }

    @Test
    void aBatchOfDroppedAggregatesAloneIsCheckpointedWithoutANotice() {
        Capturing publisher = new Capturing();
        ShardProcessor shard = shard(publisher, KplDeaggregation.STRICT, Duration.ofSeconds(30), id -> { });

        shard.processRecords(deaggregated(aggregate(200, OUT, IN)));

        assertThat(publisher.published).isEmpty();
        assertThat(checkpointer.checkpoints).containsExactly("200:1");
    }

    @Test
    void withAllEveryUserRecordIsHandledWhateverItsHashKey() {
        Capturing publisher = new Capturing();
        ShardProcessor shard = shard(publisher, KplDeaggregation.ALL, Duration.ofSeconds(30), id -> { });

        shard.processRecords(deaggregated(plain(100), aggregate(102, IN, OUT, IN), plain(103)));

        assertThat(publisher.batches()).containsExactly(new DeliveredBatch("100", "103", 5));
        assertThat(publisher.processed()).hasSize(5);
    }

    @Test
    void withoutTheHandOffNothingIsDroppedAsKclDoesWhenItKnowsNoRange() {
        Capturing publisher = new Capturing();
        ShardProcessor shard = shard(publisher, KplDeaggregation.STRICT, Duration.ofSeconds(30), id -> { });
        // Another list than the one de-aggregated on this thread: the range is not this batch's.
        List<KinesisClientRecord> records = new ArrayList<>(new ShardHashRangeHandOff()
                .deaggregate(List.of(plain(100), aggregate(102, IN, OUT)), SHARD_START, SHARD_END));

        shard.processRecords(ProcessRecordsInput.builder().records(records).checkpointer(checkpointer).build());

        assertThat(publisher.batches()).containsExactly(new DeliveredBatch("100", "102", 3));
    }

    @Test
    void aShardThatCannotReportGivesUpOnceAfterTheReportTimeoutAndHandlesNothingMore() throws Exception {
        List<String> gaveUp = new ArrayList<>();
        ProcessorCounters counters = new ProcessorCounters();
        ShardProcessor shard = new ShardProcessor(new CountingRecordHandler(), new NoticeFactory("orders", "billing", "w-1"),
                new FailingOnce(2), AuditLog.none(), counters, 1000, Duration.ZERO, Clock.systemUTC(),
                KplDeaggregation.STRICT, Duration.ofMillis(200), gaveUp::add);
        init(shard);

        shard.processRecords(batch(100, 101, 102));
        shard.processRecords(batch(103, 104));   // cannot be reported
        shard.processRecords(batch(105));
        assertThat(gaveUp).isEmpty();
        Thread.sleep(300);                       // at least the report timeout
        shard.processRecords(batch(106));
        shard.processRecords(batch());

        assertThat(gaveUp).containsExactly("shardId-000000000000");
        assertThat(counters.received()).as("records handled").isEqualTo(6);
        assertThat(checkpointer.checkpoints).containsExactly("102");
    }

    @Test
    void aShardBlockedBehindAnUnreportableBatchGivesUpInsteadOfWaitingForever() {
        List<String> gaveUp = new ArrayList<>();
        ShardProcessor shard = new ShardProcessor(new CountingRecordHandler(), new NoticeFactory("orders", "billing", "w-1"),
                new FailingOnce(1), AuditLog.none(), new ProcessorCounters(), 1, Duration.ZERO, Clock.systemUTC(),
                KplDeaggregation.STRICT, Duration.ofMillis(200), gaveUp::add);
        init(shard);

        shard.processRecords(batch(100));        // cannot be reported; the shard may not read on past one pending batch
        long start = System.nanoTime();
        shard.processRecords(batch(101));        // blocks until the report timeout, then gives up

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
        assertThat(gaveUp).containsExactly("shardId-000000000000");
        assertThat(checkpointer.checkpoints).isEmpty();
    }

    @Test
    void snsBeingDownIsNotGivenUpOn() throws Exception {
        Capturing publisher = new Capturing();
        publisher.stuck = true;
        List<String> gaveUp = new ArrayList<>();
        ShardProcessor shard = shard(publisher, KplDeaggregation.STRICT, Duration.ofMillis(100), gaveUp::add);

        shard.processRecords(batch(100));
        Thread.sleep(200);
        shard.processRecords(batch());

        assertThat(gaveUp).isEmpty();
        assertThat(checkpointer.checkpoints).isEmpty();
    }

    private ShardProcessor shard(NoticePublisher publisher, KplDeaggregation mode, Duration reportTimeout,
                                 java.util.function.Consumer<String> giveUp) {
        ShardProcessor shard = new ShardProcessor(new CountingRecordHandler(), new NoticeFactory("orders", "billing", "w-1"),
                publisher, AuditLog.none(), new ProcessorCounters(), 1000, Duration.ZERO, Clock.systemUTC(), mode, reportTimeout, giveUp);
        init(shard);
        return shard;
    }

    private static void init(ShardProcessor shard) {
        shard.initialize(InitializationInput.builder().shardId("shardId-000000000000")
                .extendedSequenceNumber(ExtendedSequenceNumber.TRIM_HORIZON).build());
    }

    /** Raw records through the hand-off as KCL's ProcessTask does: de-aggregated, then given to the processor on this thread. */
    private ProcessRecordsInput deaggregated(KinesisClientRecord... raw) {
        List<KinesisClientRecord> records = new ShardHashRangeHandOff().deaggregate(List.of(raw), SHARD_START, SHARD_END);
        return ProcessRecordsInput.builder().records(records).checkpointer(checkpointer).build();
    }

    private static KinesisClientRecord plain(long seq) {
        return KinesisClientRecord.builder().sequenceNumber(Long.toString(seq)).partitionKey("pk")
                .data(ByteBuffer.wrap(new byte[]{1})).approximateArrivalTimestamp(Instant.now()).build();
    }

    /** A KPL aggregate whose user records have the given explicit hash keys. */
    private static KinesisClientRecord aggregate(long seq, String... explicitHashKeys) {
        List<KplUserRecord> users = new ArrayList<>();
        for (int i = 0; i < explicitHashKeys.length; i++) {
            users.add(new KplUserRecord("pk-" + i, explicitHashKeys[i], new byte[]{(byte) i}));
        }
        return KinesisClientRecord.builder().sequenceNumber(Long.toString(seq)).partitionKey("pk-0")
                .data(ByteBuffer.wrap(KplAggregate.encode(users))).approximateArrivalTimestamp(Instant.now()).build();
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
