package io.streamwreck.notified;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.Notice;
import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.KeyStatus;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.lambda.SnsToLambdaRuntime;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End to end from an SNS publish: moto's topic → the runtime's SQS subscription → an {@code SNSEvent} → the
 * handler class, created by name as Lambda creates it, → the real Redis ledger.
 */
@WithLocalStack
class NotifiedRuntimeIT {

    private static final String HANDLER = "io.streamwreck.notified.NotifiedHandler::handleRequest";
    private static final List<Duration> QUICK_RETRIES = List.of(Duration.ofMillis(200), Duration.ofMillis(400));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RedisLedger ledger;

    @BeforeAll
    static void connect(LocalStack stack) {
        ledger = RedisLedger.connect(stack.endpoints().redis().toString(), false, Duration.ofHours(1));
    }

    @AfterAll
    static void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    @Test
    void everyPublishedNoticeIsRecordedOnceEvenWhenSnsDeliversOneTwice(LocalStack stack) {
        Scope scope = TestNotices.freshScope("e2e");
        List<Notice> notices = new ArrayList<>();
        for (int shard = 0; shard < 4; shard++) {
            for (int batch = 0; batch < 3; batch++) {
                notices.add(TestNotices.notice(scope, TestNotices.keys(shard, batch * 50L, 50)));
            }
        }
        String topicArn = stack.sns().createTopic(b -> b.name(unique("e2e"))).topicArn();
        try (SnsToLambdaRuntime runtime = runtime(stack, topicArn, "e2e", QUICK_RETRIES)) {
            NoticePublisher publisher = new NoticePublisher(stack.sns(), topicArn);
            publisher.publish(notices);
            publisher.publish(List.of(notices.get(5))); // a second delivery of one notice, as at-least-once SNS may do

            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.handledMessages() == 13);
            assertThat(runtime.failedInvocations()).isZero();
            for (Notice n : notices) {
                assertThat(ledger.classify(scope, n.processed())).allSatisfy(s -> {
                    assertThat(s.classification()).isEqualTo(Classification.PROCESSED);
                    assertThat(s.count()).isEqualTo(1);
                });
            }
        }
    }

    @Test
    void aMalformedNoticeEndsInTheDeadLetterQueueWithItsReasonWhileTheValidOnesAreRecorded(LocalStack stack) throws Exception {
        Scope scope = TestNotices.freshScope("dlq");
        Notice before = TestNotices.notice(scope, TestNotices.keys(0, 0, 10));
        Notice after = TestNotices.notice(scope, TestNotices.keys(1, 0, 10));
        String topicArn = stack.sns().createTopic(b -> b.name(unique("dlq"))).topicArn();
        try (SnsToLambdaRuntime runtime = runtime(stack, topicArn, "dlq", QUICK_RETRIES)) {
            NoticePublisher publisher = new NoticePublisher(stack.sns(), topicArn);
            List<String> ids = new ArrayList<>(publisher.publish(List.of(before)));
            ids.addAll(publisher.publishRaw(List.of("{\"v\":9,\"id\":\"x\"}"), List.of(Map.of("stream", scope.stream()))));
            ids.addAll(publisher.publish(List.of(after)));
            String malformedId = ids.get(1);

            List<Message> dead = receive(stack.sqs(), runtime.subscription().deadLetterQueueUrl());
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.handledMessages() == 2);

            assertThat(dead).hasSize(1);
            Message letter = dead.get(0);
            assertThat(letter.messageAttributes().get("ErrorMessage").stringValue())
                    .contains("SNS message " + malformedId + ": unsupported notice version 9");
            assertThat(letter.messageAttributes().get("ErrorType").stringValue()).isEqualTo(MalformedNoticesException.class.getName());
            JsonNode event = JSON.readTree(letter.body());
            assertThat(event.at("/Records/0/Sns/MessageId").asText()).isEqualTo(malformedId);
            assertThat(event.at("/Records/0/Sns/Message").asText()).isEqualTo("{\"v\":9,\"id\":\"x\"}");
            assertThat(runtime.invocations()).isEqualTo(2 + 3); // the malformed one: first attempt and two retries

            for (Notice n : List.of(before, after)) {
                assertThat(ledger.classify(scope, n.processed())).extracting(KeyStatus::classification)
                        .containsOnly(Classification.PROCESSED);
            }
        }
    }

    @Test
    void noticesPublishedWhileRedisIsFrozenAreAllRecordedOnceItRecovers(LocalStack stack) {
        Scope scope = TestNotices.freshScope("frozen");
        List<Notice> early = List.of(TestNotices.notice(scope, TestNotices.keys(0, 0, 40)),
                TestNotices.notice(scope, TestNotices.keys(1, 0, 40)));
        List<Notice> late = List.of(TestNotices.notice(scope, TestNotices.keys(0, 40, 40)),
                TestNotices.notice(scope, TestNotices.keys(1, 40, 40)), TestNotices.notice(scope, TestNotices.keys(2, 0, 40)));
        String topicArn = stack.sns().createTopic(b -> b.name(unique("frozen"))).topicArn();
        try (SnsToLambdaRuntime runtime = runtime(stack, topicArn, "frozen", List.of(Duration.ofMillis(500), Duration.ofSeconds(1)))) {
            NoticePublisher publisher = new NoticePublisher(stack.sns(), topicArn);
            publisher.publish(early);
            await().atMost(Duration.ofSeconds(15)).until(() -> runtime.handledMessages() == 2);

            stack.pauseRedis();
            try {
                publisher.publish(late);
                // The ledger's command timeout (10 s) turns the frozen Redis into a failed invocation.
                await().atMost(Duration.ofSeconds(20)).until(() -> runtime.failedInvocations() >= 1);
            } finally {
                stack.resumeRedis();
            }
            assertThat(runtime.lastError()).hasValueSatisfying(e -> assertThat(e).startsWith(
                    "io.streamwreck.ledger.LedgerUnavailableException"));

            await().atMost(Duration.ofSeconds(30)).until(() -> runtime.handledMessages() == 5);
            assertThat(runtime.deadLetteredMessages()).isZero();
            // A script sent before the freeze may have run after it, and its retry again: still counted once.
            List<RecordKey> all = new ArrayList<>();
            for (Notice n : early) {
                all.addAll(n.processed());
            }
            for (Notice n : late) {
                all.addAll(n.processed());
            }
            assertThat(ledger.classify(scope, all)).allSatisfy(s -> {
                assertThat(s.classification()).isEqualTo(Classification.PROCESSED);
                assertThat(s.count()).isEqualTo(1);
            });
        }
    }

    @Test
    void theRuntimeHostsTheFunctionFromItsDeploymentJar(LocalStack stack) {
        Path jar = Path.of("target/notified-lambda.jar");
        Scope scope = TestNotices.freshScope("jar");
        Notice notice = TestNotices.notice(scope, TestNotices.keys(3, 0, 25));
        String topicArn = stack.sns().createTopic(b -> b.name(unique("jar"))).topicArn();
        AtomicReference<SnsToLambdaRuntime> started = new AtomicReference<>();
        // The jar's classes are loaded apart from this JVM's copies, so its metrics are checked on their way out.
        List<JsonNode> emf = FunctionOutput.emfDuring(() -> {
            try (SnsToLambdaRuntime runtime = SnsToLambdaRuntime.builder().stack(stack).topicArn(topicArn).functionName(unique("jar"))
                    .deploymentJar(jar).handlerClass(HANDLER).environment(environment(stack)).retryDelays(QUICK_RETRIES).start()) {
                started.set(runtime);
                new NoticePublisher(stack.sns(), topicArn).publish(List.of(notice));
                await().atMost(Duration.ofSeconds(15)).until(() -> runtime.handledMessages() == 1);
            }
        });

        assertThat(started.get().failedInvocations()).isZero();
        assertThat(ledger.classify(scope, notice.processed())).extracting(KeyStatus::classification).containsOnly(Classification.PROCESSED);
        assertThat(emf).anySatisfy(doc -> assertThat(doc.get("KeysRecorded").asDouble()).isEqualTo(25));
    }

    private static SnsToLambdaRuntime runtime(LocalStack stack, String topicArn, String what, List<Duration> retries) {
        return SnsToLambdaRuntime.builder().stack(stack).topicArn(topicArn).functionName(unique(what))
                .handlerClass(HANDLER).environment(environment(stack)).retryDelays(retries).start();
    }

    private static Map<String, String> environment(LocalStack stack) {
        return Map.of("REDIS_URL", stack.endpoints().redis().toString(), "POWERTOOLS_METRICS_NAMESPACE", "streamwreck-test");
    }

    private static List<Message> receive(SqsClient sqs, String queueUrl) {
        List<Message> received = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            List<Message> page = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All")).messages();
            received.addAll(page);
            page.forEach(m -> sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
            return !received.isEmpty();
        });
        return received;
    }

    private static String unique(String what) {
        return "notified-" + what + "-" + System.nanoTime();
    }
}
