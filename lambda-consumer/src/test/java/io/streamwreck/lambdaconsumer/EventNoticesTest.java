package io.streamwreck.lambdaconsumer;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.streamwreck.core.RecordKey;
import io.streamwreck.core.kpl.KplAggregate;
import io.streamwreck.core.notice.DeliveredBatch;
import io.streamwreck.core.notice.Notice;
import io.streamwreck.core.notice.NoticeCodec;
import io.streamwreck.publish.NoticeFactory;
import io.streamwreck.publish.OutgoingNotice;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventNoticesTest {

    private static final String SHARD = "shardId-000000000000";
    private final EventNotices notices = new EventNotices(stream -> new NoticeFactory(stream, "billing", "fn/log"));

    @Test
    void aBatchThatReturnedReportsEveryRecordDeliveredAndProcessed() {
        KinesisEvent event = event(record("100", "a"), record("101", "b"), record("102", "c"));

        List<OutgoingNotice> out = notices.returned(event, new StreamsEventResponse(List.of()));

        assertThat(out).hasSize(1);
        Notice n = out.get(0).notice();
        assertThat(n.version()).isEqualTo(Notice.COMPACT_VERSION);
        assertThat(n.stream()).isEqualTo("orders");
        assertThat(n.app()).isEqualTo("billing");
        assertThat(n.shardId()).isEqualTo(SHARD);
        assertThat(n.batch()).isEqualTo(new DeliveredBatch("100", "102", 3));
        assertThat(n.processed()).containsExactly(key("100"), key("101"), key("102"));
        // The same format the processor emits: it round-trips through the notified Lambda's codec.
        assertThat(new NoticeCodec().decode(out.get(0).json())).isEqualTo(n);
    }

    @Test
    void aNullResponseMeansEveryRecordProcessed() {
        assertThat(notices.returned(event(record("100", "a")), null).get(0).notice().processed()).containsExactly(key("100"));
    }

    @Test
    void aFailureAtSequenceNLeavesNAndEveryLaterRecordUnprocessed() {
        KinesisEvent event = event(record("100", "a"), record("101", "b"), record("102", "c"), record("103", "d"));

        Notice n = notices.returned(event, failures("103", "101")).get(0).notice();

        assertThat(n.batch()).isEqualTo(new DeliveredBatch("100", "103", 4));
        assertThat(n.processed()).containsExactly(key("100"));
    }

    @Test
    void anUnknownOrEmptyItemIdentifierFailsTheWholeBatch() {
        KinesisEvent event = event(record("100", "a"), record("101", "b"));

        assertThat(notices.returned(event, failures("999")).get(0).notice().processed()).isEmpty();
        assertThat(notices.returned(event, failures("")).get(0).notice().processed()).isEmpty();
        assertThat(notices.returned(event, failures((String) null)).get(0).notice().processed()).isEmpty();
    }

    @Test
    void aHandlerThatThrewReportsTheDeliveredRangeOnly() {
        Notice n = notices.threw(event(record("100", "a"), record("101", "b"))).get(0).notice();

        assertThat(n.batch()).isEqualTo(new DeliveredBatch("100", "101", 2));
        assertThat(n.processed()).isEmpty();
    }

    @Test
    void aKplAggregateIsKeyedPerUserRecordAsTheProcessorKeysIt() {
        byte[] aggregate = KplAggregate.encode("pk", List.of(bytes("u0"), bytes("u1"), bytes("u2")));
        KinesisEvent event = event(record("100", "a"), record("101", aggregate), record("102", "c"));

        Notice n = notices.returned(event, failures("102")).get(0).notice();

        assertThat(n.batch()).isEqualTo(new DeliveredBatch("100", "102", 5));
        assertThat(n.processed()).containsExactly(key("100"),
                RecordKey.of(SHARD, "101", 0), RecordKey.of(SHARD, "101", 1), RecordKey.of(SHARD, "101", 2));
    }

    @Test
    void oneNoticeSetPerShardEachWithItsOwnRangeAndFailures() {
        String other = "shardId-000000000001";
        KinesisEvent event = event(record("100", "a"), record(other, "200", "x"), record("101", "b"), record(other, "201", "y"));

        List<OutgoingNotice> out = notices.returned(event, failures("201"));

        assertThat(out).extracting(o -> o.notice().shardId()).containsExactly(SHARD, other);
        assertThat(out.get(0).notice().processed()).containsExactly(key("100"), key("101"));
        assertThat(out.get(1).notice().batch()).isEqualTo(new DeliveredBatch("200", "201", 2));
        assertThat(out.get(1).notice().processed()).containsExactly(RecordKey.of(other, "200"));
    }

    @Test
    void recordsOutOfOrderInTheEventStillGiveTheRangeInSequenceOrder() {
        Notice n = notices.returned(event(record("110", "b"), record("99", "a")), null).get(0).notice();

        assertThat(n.batch()).isEqualTo(new DeliveredBatch("99", "110", 2));
    }

    private static StreamsEventResponse failures(String... sequences) {
        List<StreamsEventResponse.BatchItemFailure> list = new ArrayList<>();
        for (String s : sequences) {
            list.add(new StreamsEventResponse.BatchItemFailure(s));
        }
        return new StreamsEventResponse(list);
    }

    private static RecordKey key(String seq) {
        return RecordKey.of(SHARD, seq);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static KinesisEvent event(KinesisEvent.KinesisEventRecord... records) {
        KinesisEvent event = new KinesisEvent();
        event.setRecords(List.of(records));
        return event;
    }

    private static KinesisEvent.KinesisEventRecord record(String seq, String data) {
        return record(SHARD, seq, bytes(data));
    }

    private static KinesisEvent.KinesisEventRecord record(String seq, byte[] data) {
        return record(SHARD, seq, data);
    }

    private static KinesisEvent.KinesisEventRecord record(String shard, String seq, String data) {
        return record(shard, seq, bytes(data));
    }

    private static KinesisEvent.KinesisEventRecord record(String shard, String seq, byte[] data) {
        KinesisEvent.Record kinesis = new KinesisEvent.Record();
        kinesis.setSequenceNumber(seq);
        kinesis.setPartitionKey("pk");
        kinesis.setData(ByteBuffer.wrap(data));
        KinesisEvent.KinesisEventRecord r = new KinesisEvent.KinesisEventRecord();
        r.setEventID(shard + ":" + seq);
        r.setEventSourceARN("arn:aws:kinesis:us-east-1:000000000000:stream/orders");
        r.setKinesis(kinesis);
        return r;
    }
}
