package io.streamwreck.lambdaconsumer;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.streamwreck.core.RecordKey;
import io.streamwreck.publish.NoticePublisher;
import io.streamwreck.publish.OutgoingNotice;
import io.streamwreck.publish.PublisherStats;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The wrapper around a handler. The publisher here is a stub of our own {@link NoticePublisher} interface (not of an
 * AWS API): it records what it is given, or never completes, to show what the wrapper does when SNS does not answer;
 * publishing to a real SNS is covered by {@code LambdaConsumerIT}.
 */
class NoticedKinesisHandlerTest {

    private static final String SHARD = "shardId-000000000000";

    private final List<OutgoingNotice> published = new ArrayList<>();
    private boolean answering = true;

    private final NoticePublisher publisher = new NoticePublisher() {
        @Override
        public CompletableFuture<Void> publish(List<OutgoingNotice> notices) {
            published.addAll(notices);
            return answering ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
        }

        @Override
        public void flush() {
        }

        @Override
        public PublisherStats stats() {
            return new PublisherStats(0, published.size(), 0, 0);
        }

        @Override
        public void close() {
        }
    };

    @Test
    void aHandlerThatThrowsHasItsDeliveredRangePublishedAndItsExceptionRethrown() {
        IllegalStateException boom = new IllegalStateException("boom");
        NoticedKinesisHandler handler = new NoticedKinesisHandler((e, c) -> {
            throw boom;
        }, publisher, "billing", Duration.ofSeconds(1));

        assertThatThrownBy(() -> handler.handleRequest(event("100", "101"), null)).isSameAs(boom);
        assertThat(published).singleElement().satisfies(n -> {
            assertThat(n.notice().batch().first()).isEqualTo("100");
            assertThat(n.notice().batch().last()).isEqualTo("101");
            assertThat(n.notice().processed()).isEmpty();
        });
    }

    @Test
    void theResponseIsReturnedUnchangedAfterItsNoticesArePublished() {
        StreamsEventResponse response = new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure("101")));
        NoticedKinesisHandler handler = new NoticedKinesisHandler((e, c) -> response, publisher, "billing", Duration.ofSeconds(1));

        assertThat(handler.handleRequest(event("100", "101", "102"), null)).isSameAs(response);
        assertThat(published).singleElement().satisfies(n ->
                assertThat(n.notice().processed()).containsExactly(RecordKey.of(SHARD, "100")));
    }

    @Test
    void noticesNotPublishedInTimeFailTheInvocation() {
        answering = false;
        NoticedKinesisHandler handler = new NoticedKinesisHandler((e, c) -> null, publisher, "billing", Duration.ofMillis(50));

        assertThatThrownBy(() -> handler.handleRequest(event("100"), null))
                .isInstanceOf(NoticedKinesisHandler.NoticesNotPublishedException.class);
    }

    @Test
    void thePerRecordVariantReportsTheFirstFailingRecordAndSkipsTheRestOfItsShard() {
        List<String> ran = new ArrayList<>();
        var perRecord = NoticedKinesisHandler.perRecordHandler((r, c) -> {
            ran.add(r.getKinesis().getSequenceNumber());
            if (r.getKinesis().getSequenceNumber().equals("101")) {
                throw new Exception("bad record");
            }
        });

        StreamsEventResponse response = perRecord.handleRequest(event("100", "101", "102"), null);

        assertThat(ran).containsExactly("100", "101");
        assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("101");
    }

    private static KinesisEvent event(String... sequences) {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        for (String seq : sequences) {
            KinesisEvent.Record kinesis = new KinesisEvent.Record();
            kinesis.setSequenceNumber(seq);
            kinesis.setData(ByteBuffer.wrap(("r" + seq).getBytes(StandardCharsets.UTF_8)));
            KinesisEvent.KinesisEventRecord r = new KinesisEvent.KinesisEventRecord();
            r.setEventID(SHARD + ":" + seq);
            r.setEventSourceARN("arn:aws:kinesis:us-east-1:000000000000:stream/orders");
            r.setKinesis(kinesis);
            records.add(r);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(records);
        return event;
    }
}
