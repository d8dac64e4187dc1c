package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@WithLocalStack
class SnsToLambdaRuntimeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Duration> QUICK_RETRIES = List.of(Duration.ofMillis(100), Duration.ofMillis(200));

    @Test
    void aPublishedMessageReachesTheHandlerClassAsAnSnsEventOfOneRecord(LocalStack stack) {
        String name = unique("delivery");
        String topicArn = stack.sns().createTopic(b -> b.name(name)).topicArn();
        try (SnsToLambdaRuntime runtime = SnsToLambdaRuntime.builder().stack(stack).topicArn(topicArn).functionName(name)
                .handlerClass(SnsRecordingHandler.class.getName() + "::handleRequest")
                .environment(Map.of("SINK", name)).start()) {
            String messageId = stack.sns().publish(b -> b.topicArn(topicArn).message("{\"hello\":1}").subject("greeting")
                    .messageAttributes(Map.of("shardId", MessageAttributeValue.builder().dataType("String")
                            .stringValue("shardId-000000000003").build()))).messageId();
            String second = stack.sns().publish(b -> b.topicArn(topicArn).message("plain")).messageId();

            await().atMost(Duration.ofSeconds(15)).until(() -> runtime.handledMessages() == 2);
            List<SnsRecordingHandler.Invocation> seen = SnsRecordingHandler.invocations(name);
            assertThat(seen).hasSize(2).allSatisfy(i -> {
                assertThat(i.event().getRecords()).hasSize(1);
                assertThat(i.functionName()).isEqualTo(name);
            });
            SNSEvent.SNSRecord record = recordOf(seen, messageId);
            assertThat(record.getEventSource()).isEqualTo("aws:sns");
            assertThat(record.getEventVersion()).isEqualTo("1.0");
            assertThat(record.getEventSubscriptionArn()).isEqualTo(runtime.subscription().subscriptionArn()).startsWith(topicArn + ":");
            SNSEvent.SNS sns = record.getSNS();
            assertThat(sns.getType()).isEqualTo("Notification");
            assertThat(sns.getTopicArn()).isEqualTo(topicArn);
            assertThat(sns.getMessage()).isEqualTo("{\"hello\":1}");
            assertThat(sns.getSubject()).isEqualTo("greeting");
            assertThat(sns.getMessageAttributes()).containsOnlyKeys("shardId");
            assertThat(sns.getMessageAttributes().get("shardId").getValue()).isEqualTo("shardId-000000000003");
            assertThat(sns.getTimestamp()).isNotNull();
            assertThat(sns.getTimestamp().getMillis()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
            SNSEvent.SNS plain = recordOf(seen, second).getSNS();
            assertThat(plain.getSubject()).isNull();
            assertThat(plain.getMessageAttributes()).isEmpty();

            assertThat(runtime.failedInvocations()).isZero();
            assertThat(messagesIn(stack.sqs(), runtime.subscription().queueUrl())).isZero();
        }
    }

    @Test
    void aFailingEventIsRetriedTwiceThenDeadLetteredWithTheReasonWhileOthersAreHandled(LocalStack stack) throws Exception {
        String name = unique("dlq");
        String topicArn = stack.sns().createTopic(b -> b.name(name)).topicArn();
        try (SnsToLambdaRuntime runtime = SnsToLambdaRuntime.builder().stack(stack).topicArn(topicArn).functionName(name)
                .handler(new SnsRecordingHandler(Map.of("SINK", name))).retryDelays(QUICK_RETRIES).start()) {
            String bad = stack.sns().publish(b -> b.topicArn(topicArn).message("fail-always please")).messageId();
            stack.sns().publish(b -> b.topicArn(topicArn).message("fine"));

            List<Message> dead = receiveAll(stack.sqs(), runtime.subscription().deadLetterQueueUrl(), 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.handledMessages() == 1);

            assertThat(dead).hasSize(1);
            Message letter = dead.get(0);
            assertThat(letter.messageAttributes().get("ErrorMessage").stringValue()).isEqualTo("refused " + bad + ": fail-always please");
            assertThat(letter.messageAttributes().get("ErrorType").stringValue()).isEqualTo(IllegalStateException.class.getName());
            assertThat(letter.messageAttributes().get("ErrorCode").stringValue()).isEqualTo("200");
            // The body is the event the function was invoked with, as on Lambda's dead-letter queue.
            JsonNode event = JSON.readTree(letter.body());
            assertThat(event.at("/Records/0/Sns/MessageId").asText()).isEqualTo(bad);
            assertThat(event.at("/Records/0/EventSource").asText()).isEqualTo("aws:sns");

            List<SnsRecordingHandler.Invocation> attempts = SnsRecordingHandler.invocations(name).stream()
                    .filter(i -> i.event().getRecords().get(0).getSNS().getMessageId().equals(bad)).toList();
            assertThat(attempts).hasSize(3).allMatch(SnsRecordingHandler.Invocation::failed);
            assertThat(attempts).extracting(SnsRecordingHandler.Invocation::requestId).containsOnly(
                    letter.messageAttributes().get("RequestID").stringValue());
            assertThat(runtime.deadLetteredMessages()).isEqualTo(1);
            assertThat(runtime.lastError()).hasValueSatisfying(e -> assertThat(e).contains("fail-always"));
            await().atMost(Duration.ofSeconds(15)).until(() -> messagesIn(stack.sqs(), runtime.subscription().queueUrl()) == 0);
        }
    }

    @Test
    void anEventThatFailsOnceIsHandledOnItsRetryAndNotDeadLettered(LocalStack stack) {
        String name = unique("retry");
        String topicArn = stack.sns().createTopic(b -> b.name(name)).topicArn();
        try (SnsToLambdaRuntime runtime = SnsToLambdaRuntime.builder().stack(stack).topicArn(topicArn).functionName(name)
                .handler(new SnsRecordingHandler(Map.of("SINK", name))).retryDelays(QUICK_RETRIES).start()) {
            stack.sns().publish(b -> b.topicArn(topicArn).message("fail-once"));

            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.handledMessages() == 1);
            assertThat(runtime.invocations()).isEqualTo(2);
            assertThat(runtime.failedInvocations()).isEqualTo(1);
            assertThat(runtime.deadLetteredMessages()).isZero();
            assertThat(messagesIn(stack.sqs(), runtime.subscription().deadLetterQueueUrl())).isZero();
        }
    }

    @Test
    void closingReturnsAnEventWaitingForItsRetryToTheQueue(LocalStack stack) {
        String name = unique("close");
        String topicArn = stack.sns().createTopic(b -> b.name(name)).topicArn();
        SnsToLambdaRuntime runtime = SnsToLambdaRuntime.builder().stack(stack).topicArn(topicArn).functionName(name)
                .handler(new SnsRecordingHandler(Map.of("SINK", name)))
                .retryDelays(List.of(Duration.ofMinutes(5), Duration.ofMinutes(5))).start();
        String queueUrl = runtime.subscription().queueUrl();
        try {
            stack.sns().publish(b -> b.topicArn(topicArn).message("fail-always"));
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.failedInvocations() == 1);
        } finally {
            runtime.close();
        }
        // Not handled, not dead-lettered: back in the subscription queue for the next runtime, not lost.
        List<Message> back = receiveAll(stack.sqs(), queueUrl, 1);
        assertThat(back).hasSize(1);
        assertThat(back.get(0).body()).contains("fail-always");
        assertThat(runtime.deadLetteredMessages()).isZero();
    }

    private static SNSEvent.SNSRecord recordOf(List<SnsRecordingHandler.Invocation> seen, String messageId) {
        return seen.stream().map(i -> i.event().getRecords().get(0))
                .filter(r -> r.getSNS().getMessageId().equals(messageId)).findFirst().orElseThrow();
    }

    private static List<Message> receiveAll(SqsClient sqs, String queueUrl, int expected) {
        List<Message> received = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            List<Message> page = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All")).messages();
            received.addAll(page);
            page.forEach(m -> sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
            return received.size() >= expected;
        });
        return received;
    }

    private static int messagesIn(SqsClient sqs, String queueUrl) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static String unique(String prefix) {
        return "sns-" + prefix + "-" + System.nanoTime();
    }
}
