package io.streamwreck.processor;

import io.streamwreck.core.RecordKey;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.standin.TetheredProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code --retrieval fanout}: enhanced fan-out (SubscribeToShard over HTTP/2) delivers and reports every record. */
@WithLocalStack
class FanOutIT {

    @Test
    void enhancedFanOutDeliversEveryRecord(LocalStack stack) throws Exception {
        TestStream stream = TestStream.create(stack, "fanout", 2);
        Path dir = Files.createDirectories(Path.of("target/it", stream.name()));
        String app = "fanout-app-" + stream.name();
        String topicArn = stack.sns().createTopic(b -> b.name("notices-" + stream.name())).topicArn();
        List<RecordKey> written = stream.write(1_000);

        try (NoticeCollector notices = NoticeCollector.subscribe(stack, topicArn, "q-" + stream.name());
             Fleet fleet = new Fleet(stack, stream.name(), app, topicArn, dir, List.of("--retrieval", "fanout"))) {
            TetheredProcess worker = fleet.start(1);
            await().atMost(Duration.ofSeconds(90)).failFast(() -> !worker.isAlive())
                    .until(() -> notices.processedCounts().keySet().containsAll(written));

            assertThat(notices.processedCounts().keySet()).containsExactlyInAnyOrderElementsOf(Set.copyOf(written));
            assertThat(notices.processedCounts().values()).containsOnly(1);
            assertThat(stack.kinesis().listStreamConsumers(b -> b.streamARN(stack.kinesis()
                    .describeStreamSummary(d -> d.streamName(stream.name())).streamDescriptionSummary().streamARN())).consumers())
                    .as("the application's registered consumer").anyMatch(c -> c.consumerName().equals(app));
        }
    }
}
