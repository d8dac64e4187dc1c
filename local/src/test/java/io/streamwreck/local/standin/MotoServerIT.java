package io.streamwreck.local.standin;

import io.streamwreck.local.junit.WithLocalStack;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@WithLocalStack
class MotoServerIT {

    @Test
    void aMessagePublishedToATopicArrivesOnItsSqsSubscriptionInAnSnsEnvelope(LocalStack stack) {
        SnsClient sns = stack.sns();
        SqsClient sqs = stack.sqs();
        String name = "notices-" + System.nanoTime();
        String topicArn = sns.createTopic(b -> b.name(name)).topicArn();
        String queueUrl = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn));

        List<PublishBatchRequestEntry> batch = IntStream.range(0, 10)
                .mapToObj(i -> PublishBatchRequestEntry.builder().id("n" + i).message("{\"n\":" + i + "}")
                        .messageAttributes(Map.of("shardId", MessageAttributeValue.builder().dataType("String")
                                .stringValue("shardId-00000000000" + (i % 4)).build()))
                        .build())
                .toList();
        assertThat(sns.publishBatch(b -> b.topicArn(topicArn).publishBatchRequestEntries(batch)).failed()).isEmpty();

        List<Message> received = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            List<Message> page = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            received.addAll(page);
            page.forEach(m -> sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
            return received.size() >= 10;
        });

        assertThat(received).hasSize(10);
        assertThat(received).allSatisfy(m -> assertThat(m.body())
                .contains("\"Type\": \"Notification\"")
                .contains("\"TopicArn\": \"" + topicArn + "\"")
                .contains("\"MessageAttributes\"")
                .contains("shardId-00000000000"));
        assertThat(received.stream().map(Message::body).filter(b -> b.contains("{\\\"n\\\": 7}") || b.contains("{\\\"n\\\":7}"))).hasSize(1);
    }
}
