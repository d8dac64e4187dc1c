package io.streamwreck.processor.publish;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.DeliveredBatch;
import io.streamwreck.publish.NoticeFactory;
import io.streamwreck.publish.OutgoingNotice;
import io.streamwreck.publish.PublisherStats;
import io.streamwreck.publish.SnsNoticePublisher;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.AwsClients;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sns.SnsAsyncClient;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The publisher against moto's real SNS: how it packs calls, and that it keeps retrying until SNS accepts. */
@WithLocalStack
class SnsNoticePublisherIT {

    private static final BigInteger FIRST = new BigInteger("49591585917767627211020937568791696204996217827017883650");

    @Test
    void twentyFiveNoticesGoOutInThreeCalls(LocalStack stack) {
        String topic = stack.sns().createTopic(b -> b.name("pack-" + System.nanoTime())).topicArn();
        try (SnsAsyncClient sns = client(stack);
             SnsNoticePublisher publisher = new SnsNoticePublisher(sns, topic, Duration.ofSeconds(2), Duration.ofSeconds(5))) {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                futures.add(publisher.publish(notices(i)));
            }
            publisher.flush();
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();

            PublisherStats stats = publisher.stats();
            assertThat(stats.notices()).isEqualTo(25);
            assertThat(stats.calls()).isEqualTo(3);
            assertThat(stats.keys()).isEqualTo(25 * 100);
        }
    }

    @Test
    void noticesToATopicThatDoesNotExistYetAreRetriedUntilItDoes(LocalStack stack) {
        String name = "late-" + System.nanoTime();
        String topic = "arn:aws:sns:" + AwsClients.REGION.id() + ":" + AwsClients.ACCOUNT_ID + ":" + name;
        try (SnsAsyncClient sns = client(stack);
             SnsNoticePublisher publisher = new SnsNoticePublisher(sns, topic, Duration.ofMillis(10), Duration.ofSeconds(5))) {
            CompletableFuture<Void> published = publisher.publish(notices(1));

            await().atMost(Duration.ofSeconds(20)).until(() -> publisher.stats().failedAttempts() >= 2);
            assertThat(published).isNotDone();

            stack.sns().createTopic(b -> b.name(name));
            await().atMost(Duration.ofSeconds(20)).until(published::isDone);
            assertThat(published).isCompleted();
            assertThat(publisher.stats().notices()).isEqualTo(1);
        }
    }

    private static SnsAsyncClient client(LocalStack stack) {
        return SnsAsyncClient.builder().endpointOverride(stack.endpoints().sns()).region(AwsClients.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
    }

    private static List<OutgoingNotice> notices(int batch) {
        NoticeFactory factory = new NoticeFactory("orders", "billing", "w-1");
        List<RecordKey> keys = new ArrayList<>();
        BigInteger base = FIRST.add(BigInteger.valueOf(batch).shiftLeft(100));
        for (int i = 0; i < 100; i++) {
            keys.add(RecordKey.of("shardId-000000000000", base.add(BigInteger.valueOf(i).shiftLeft(80)).toString()));
        }
        return factory.forBatch("shardId-000000000000",
                new DeliveredBatch(keys.get(0).sequenceNumber(), keys.get(99).sequenceNumber(), 100), keys);
    }
}
