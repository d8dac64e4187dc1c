package io.streamwreck.processor;

import io.streamwreck.core.RecordKey;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.processor.handler.IncomingRecord;
import io.streamwreck.processor.handler.RecordHandler;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.metrics.MetricsLevel;

import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A handler that throws on some records, run in-process: each failing record is reported as not processed, the rest
 * of its batch still is, and nothing escapes to KCL (which would skip the batch silently).
 */
@WithLocalStack
class HandlerFailureIT {

    /** Fails every record whose sequence number is a multiple of 3. */
    static final class FailingHandler implements RecordHandler {
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public boolean handle(IncomingRecord record) {
            if (new BigInteger(record.sequenceNumber()).mod(BigInteger.valueOf(3)).signum() == 0) {
                failures.incrementAndGet();
                throw new IllegalStateException("downstream said no to " + record.key());
            }
            return true;
        }
    }

    @Test
    void aRecordWhoseHandlerThrowsIsReportedUnprocessedAndItsBatchGoesOn(LocalStack stack) throws Exception {
        // The in-process SDK clients need some credentials; the stand-ins accept any.
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        TestStream stream = TestStream.create(stack, "failing", 1);
        String topicArn = stack.sns().createTopic(b -> b.name("notices-" + stream.name())).topicArn();
        List<RecordKey> written = stream.write(600);
        Set<RecordKey> expected = written.stream()
                .filter(k -> new BigInteger(k.sequenceNumber()).mod(BigInteger.valueOf(3)).signum() != 0).collect(Collectors.toSet());
        assertThat(expected).hasSizeBetween(300, 500);

        FailingHandler handler = new FailingHandler();
        ProcessorSettings settings = new ProcessorSettings(stream.name(), "failing-app-" + stream.name(), topicArn,
                Optional.of("us-east-1"), Optional.of(stack.endpoints().kinesis()), Optional.of(stack.endpoints().dynamoDb()),
                Optional.of(stack.endpoints().sns()), Optional.of(URI.create("http://127.0.0.1:9")), InitialPosition.TRIM_HORIZON,
                Duration.ofSeconds(2), ProcessorSettings.Retrieval.POLLING, Duration.ofMillis(200), 100, Duration.ofSeconds(1),
                MetricsLevel.NONE, "in-process", Optional.empty(), Duration.ofMillis(50), 4, Duration.ZERO, Duration.ofSeconds(30), false);
        try (NoticeCollector notices = NoticeCollector.subscribe(stack, topicArn, "q-" + stream.name());
             ProcessorApp app = new ProcessorApp(settings, handler)) {
            Thread worker = new Thread(app::run, "in-process-worker");
            worker.start();
            boolean graceful;
            try {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> notices.notices().stream().mapToInt(n -> n.batch().received()).sum() >= written.size());
                assertThat(notices.processedCounts().keySet()).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(handler.failures.get()).isEqualTo(written.size() - expected.size());
                // 100 records per GetRecords: several batches, each of which held failures and went on.
                assertThat(notices.notices()).hasSizeGreaterThanOrEqualTo(6);
                assertThat(app.counters().failed()).isEqualTo(written.size() - expected.size());
            } finally {
                graceful = app.shutdown();
                worker.join(30_000);
            }
            assertThat(graceful).as("graceful shutdown").isTrue();
        }
    }
}
