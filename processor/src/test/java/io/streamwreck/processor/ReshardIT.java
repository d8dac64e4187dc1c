package io.streamwreck.processor;

import io.streamwreck.core.RecordKey;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.standin.TetheredProcess;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A stream resharded from 2 to 4 shards while a worker consumes it: every record processed, parents before children. */
@WithLocalStack
class ReshardIT {

    @Test
    void everyRecordIsProcessedAndEveryParentFinishesBeforeItsChildren(LocalStack stack) throws Exception {
        TestStream stream = TestStream.create(stack, "reshard", 2);
        Path dir = Files.createDirectories(Path.of("target/it", stream.name()));
        String app = "reshard-app-" + stream.name();
        String topicArn = stack.sns().createTopic(b -> b.name("notices-" + stream.name())).topicArn();

        try (NoticeCollector notices = NoticeCollector.subscribe(stack, topicArn, "q-" + stream.name());
             Fleet fleet = new Fleet(stack, stream.name(), app, topicArn, dir, List.of())) {
            TetheredProcess worker = fleet.start(1);
            try (ContinuousWriter load = new ContinuousWriter(stream, 100, 50)) {
                await("records flowing before the reshard").atMost(Duration.ofSeconds(60)).failFast(() -> !worker.isAlive())
                        .until(() -> notices.processedCounts().size() > 1_000);
                stack.kinesis().updateShardCount(b -> b.streamName(stream.name()).targetShardCount(4).scalingType(ScalingType.UNIFORM_SCALING));
                await("the reshard is done").atMost(Duration.ofSeconds(30)).until(() -> stack.kinesis()
                        .describeStreamSummary(b -> b.streamName(stream.name())).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
                await("records written to the children").atMost(Duration.ofSeconds(30))
                        .until(() -> stream.written().stream().map(RecordKey::shardId).distinct().count() > 2);
            }
            await("every record reported").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .failFast(() -> !worker.isAlive())
                    .until(() -> notices.processedCounts().keySet().containsAll(stream.written()));

            Map<RecordKey, Integer> counts = notices.processedCounts();
            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(Set.copyOf(stream.written()));
            assertThat(counts.values()).containsOnly(1);

            // The worker's audit log is in completion order: each child's first record comes after its parents' last.
            List<RecordKey> order = AuditRecords.read(fleet.auditLog(1)).completed();
            Map<String, Integer> firstAt = new HashMap<>();
            Map<String, Integer> lastAt = new HashMap<>();
            for (int i = 0; i < order.size(); i++) {
                firstAt.putIfAbsent(order.get(i).shardId(), i);
                lastAt.put(order.get(i).shardId(), i);
            }
            List<Shard> children = stream.shards().stream().filter(s -> s.parentShardId() != null).toList();
            assertThat(children).as("child shards").hasSizeGreaterThanOrEqualTo(2);
            for (Shard child : children) {
                if (!firstAt.containsKey(child.shardId())) {
                    continue;
                }
                for (String parent : parents(child)) {
                    assertThat(firstAt.get(child.shardId())).as("first record of %s after the last of its parent %s", child.shardId(), parent)
                            .isGreaterThan(lastAt.getOrDefault(parent, -1));
                }
            }
            assertThat(children.stream().filter(c -> firstAt.containsKey(c.shardId())).count()).as("children with records").isGreaterThanOrEqualTo(2);
        }
    }

    private static Set<String> parents(Shard child) {
        return java.util.stream.Stream.of(child.parentShardId(), child.adjacentParentShardId())
                .filter(p -> p != null).collect(Collectors.toSet());
    }
}
