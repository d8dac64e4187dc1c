package io.streamwreck.adapter;

import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * --queue-url, the wiring on AWS: S3 event notifications taken from an SQS queue (moto) are ingested and deleted; a
 * message that is not an S3 event stays on the queue (for its dead-letter queue), and the adapter keeps serving.
 */
@WithLocalStack
class QueueIT {

    private static final String BUCKET = "queue-logs";

    @Test
    void notificationsFromTheQueueAreIngestedAndDeletedAndABadOneStays(LocalStack stack) throws Exception {
        Path dir = Files.createDirectories(Path.of("target/it/queue"));
        StagedLines staged = StagedLines.create(stack.postgres(), "queue_it");
        stack.createStream("queue-orders", 2);
        try (S3Client s3 = LogFiles.s3(stack.endpoints().s3())) {
            s3.createBucket(b -> b.bucket(BUCKET));
            LogFiles.put(s3, BUCKET, "orders/a.log", LogFiles.content("a", 500, false));
            LogFiles.put(s3, BUCKET, "orders/b.log.gz", LogFiles.content("b", 700, true));
        }
        SqsClient sqs = stack.sqs();
        // A short visibility timeout: the refused message is visible again quickly, and is received (and refused) again.
        String queueUrl = sqs.createQueue(b -> b.queueName("adapter-queue-it")
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1"))).queueUrl();
        for (String key : List.of("orders/a.log", "orders/b.log.gz")) {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(s3Event(key)));
        }
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"not\":\"an event\"}"));

        try (AdapterProcess adapter = AdapterProcess.start(stack, staged.jdbcUrl(), dir, "adapter-queue",
                List.of("--tables", "orders=queue-orders", "--queue-url", queueUrl))) {
            await("both files staged and written").atMost(Duration.ofMinutes(2))
                    .until(() -> staged.count("true") == 1_200 && staged.count("written_at is null") == 0);
            await("only the refused message is left").atMost(Duration.ofMinutes(1)).until(() -> messagesOn(sqs, queueUrl) == 1);
            assertThat(Http.get(adapter.uri(), "/_health").status()).isEqualTo(200);
            assertThat(adapter.terminate(Duration.ofMinutes(1))).isZero();
        }
        assertThat(staged.count("cardinality(keys) = 0")).isZero();
    }

    private static long messagesOn(SqsClient sqs, String queueUrl) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** The notification S3 sends to a queue for a new object. */
    private static String s3Event(String key) {
        return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
                + "\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"" + BUCKET + "\"},"
                + "\"object\":{\"key\":\"" + key + "\",\"size\":1}}}]}";
    }
}
