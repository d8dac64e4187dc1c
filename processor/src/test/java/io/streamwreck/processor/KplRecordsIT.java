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
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** KPL-aggregated records: KCL de-aggregates them and each user record is reported under its sub-sequence key. */
@WithLocalStack
class KplRecordsIT {

    @Test
    void everyUserRecordOfAnAggregateIsReportedWithItsSubSequenceNumber(LocalStack stack) throws Exception {
        TestStream stream = TestStream.create(stack, "kpl", 2);
        Path dir = Files.createDirectories(Path.of("target/it", stream.name()));
        String app = "kpl-app-" + stream.name();
        String topicArn = stack.sns().createTopic(b -> b.name("notices-" + stream.name())).topicArn();
        List<RecordKey> written = stream.writeAggregated(300, 7);

        try (NoticeCollector notices = NoticeCollector.subscribe(stack, topicArn, "q-" + stream.name());
             Fleet fleet = new Fleet(stack, stream.name(), app, topicArn, dir, List.of())) {
            TetheredProcess worker = fleet.start(1);
            await().atMost(Duration.ofSeconds(60)).failFast(() -> !worker.isAlive())
                    .until(() -> notices.processedCounts().keySet().containsAll(written));

            Map<RecordKey, Integer> counts = notices.processedCounts();
            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(Set.copyOf(written));
            assertThat(counts.values()).containsOnly(1);
            assertThat(written).allMatch(RecordKey::hasSubSequenceNumber);
            assertThat(notices.notices().stream().mapToInt(n -> n.batch().received()).sum()).isEqualTo(written.size());
        }
    }
}
