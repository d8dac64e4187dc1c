package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The event source mapping stand-in on kinesis-local: how it batches, and what it does with a handler's answer. */
@WithLocalStack
class KinesisEventSourceMappingIT {

    @Test
    void recordsArriveInOrderInBatchesOfAtMostBatchSizeAsLambdaBuildsThem(LocalStack stack) {
        String stream = "esm-batches-" + System.nanoTime();
        List<String> written = write(stack, stream, 25);
        List<KinesisEvent> events = new CopyOnWriteArrayList<>();
        try (KinesisEventSourceMapping esm = KinesisEventSourceMapping.builder().kinesis(stack.kinesis()).streamName(stream)
                .functionName("batches").settings(KinesisEventSourceMapping.Settings.defaults().withBatchSize(10)
                        .withBatchingWindow(Duration.ofSeconds(1)))
                .handler((event, context) -> {
                    events.add(event);
                    return null;
                }).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> sequences(events).size() >= 25);

            assertThat(sequences(events)).containsExactlyElementsOf(written);
            assertThat(events).allMatch(e -> e.getRecords().size() <= 10);
            assertThat(esm.invocations()).isEqualTo(events.size());
            KinesisEvent.KinesisEventRecord first = events.get(0).getRecords().get(0);
            assertThat(first.getEventID()).isEqualTo("shardId-000000000000:" + written.get(0));
            assertThat(first.getEventSource()).isEqualTo("aws:kinesis");
            assertThat(first.getEventSourceARN()).endsWith(":stream/" + stream);
            assertThat(StandardCharsets.UTF_8.decode(first.getKinesis().getData()).toString()).isEqualTo("record 0");
        }
    }

    @Test
    void withoutReportBatchItemFailuresAReturnedFailureIsIgnored(LocalStack stack) {
        String stream = "esm-ignored-" + System.nanoTime();
        List<String> written = write(stack, stream, 5);
        List<KinesisEvent> events = new CopyOnWriteArrayList<>();
        try (KinesisEventSourceMapping esm = KinesisEventSourceMapping.builder().kinesis(stack.kinesis()).streamName(stream)
                .functionName("ignored").settings(KinesisEventSourceMapping.Settings.defaults().withBatchSize(5)
                        .withBatchingWindow(Duration.ofSeconds(1)))
                .handler((event, context) -> {
                    events.add(event);
                    return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(written.get(2))));
                }).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> sequences(events).size() >= 5);
            // Another poll round passes: nothing is handed over again.
            long polled = esm.invocations();
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> esm.invocations() == polled);

            assertThat(sequences(events)).containsExactlyElementsOf(written);
            assertThat(esm.failedInvocations()).isZero();
        }
    }

    private static List<String> sequences(List<KinesisEvent> events) {
        return events.stream().flatMap(e -> e.getRecords().stream()).map(r -> r.getKinesis().getSequenceNumber())
                .collect(Collectors.toList());
    }

    private static List<String> write(LocalStack stack, String stream, int count) {
        stack.createStream(stream, 1);
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey("pk-" + i)
                    .data(SdkBytes.fromString("record " + i, StandardCharsets.UTF_8)).build());
        }
        return stack.kinesis().putRecords(b -> b.streamName(stream).records(entries)).records().stream()
                .map(r -> r.sequenceNumber()).collect(Collectors.toList());
    }
}
