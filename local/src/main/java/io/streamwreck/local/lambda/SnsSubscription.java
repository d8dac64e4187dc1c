package io.streamwreck.local.lambda;

import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.Map;

/**
 * The SQS queue that stands in for a function's SNS subscription, and the function's dead-letter queue.
 * Queues are named after the function ({@code <function>-events}, {@code <function>-dlq}); creating them
 * and subscribing again is harmless (SQS and SNS treat both as idempotent).
 *
 * @param subscriptionArn what the function sees as {@code EventSubscriptionArn}
 */
public record SnsSubscription(String topicArn, String subscriptionArn, String queueUrl, String deadLetterQueueUrl) {

    /**
     * @param visibilityTimeout how long a received message stays hidden: longer than every attempt and retry
     *                          of one event, so that no second poll picks it up while it is being retried
     */
    static SnsSubscription create(SnsClient sns, SqsClient sqs, String topicArn, String functionName, Duration visibilityTimeout) {
        String queueUrl = sqs.createQueue(b -> b.queueName(functionName + "-events")
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(visibilityTimeout.toSeconds()))))
                .queueUrl();
        String dlqUrl = sqs.createQueue(b -> b.queueName(functionName + "-dlq")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        // Raw delivery stays off: the queue receives the SNS envelope, which carries everything a Lambda event holds.
        String subscriptionArn = sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                .returnSubscriptionArn(true)).subscriptionArn();
        return new SnsSubscription(topicArn, subscriptionArn, queueUrl, dlqUrl);
    }
}
