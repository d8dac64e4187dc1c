package io.streamwreck.lambdaconsumer;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamwreck.core.RecordKey;
import io.streamwreck.core.notice.NoticeCodec;
import io.streamwreck.publish.SnsNoticePublisher;
import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.KeyStatus;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.lambda.KinesisEventSourceMapping;
import io.streamwreck.local.lambda.SnsToLambdaRuntime;
import io.streamwreck.local.standin.AwsClients;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Kinesis-triggered Lambda consumer, wrapped by {@link NoticedKinesisHandler}, behind the local event source mapping
 * stand-in, its notices going through moto's SNS to a Lambda (SnsToLambdaRuntime) that records them into a real Redis
 * ledger, which then classifies the records written.
 */
@WithLocalStack
class LambdaConsumerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHARD = "shardId-000000000000";

    private final List<AutoCloseable> open = new ArrayList<>();
    /** How often the function's own code handled each key (the truth the ledger should match where it can know). */
    private final Map<RecordKey, AtomicInteger> handled = new ConcurrentHashMap<>();
    /** The first sequence number and size of every event the function received. */
    private final List<List<String>> events = new CopyOnWriteArrayList<>();

    private String stream;
    private String app;
    private RedisLedger ledger;
    private SnsNoticePublisher topicPublisher;
    private LocalStack stack;

    @AfterEach
    void closeAll() throws Exception {
        if (stack != null) {
            // A failed test must not leave moto frozen for the next one (SIGCONT to a running process is harmless).
            stack.resumeMoto();
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void aBatchFailingTwiceThenSucceedingIsProcessedAndNothingCountsTwice(LocalStack stack) {
        List<RecordKey> written = setUp(stack, "twice", 20);
        Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
        RequestHandler<KinesisEvent, StreamsEventResponse> function = (event, context) -> {
            event.getRecords().forEach(this::handle);
            String first = event.getRecords().get(0).getKinesis().getSequenceNumber();
            if (first.equals(written.get(0).sequenceNumber())
                    && failuresLeft.computeIfAbsent(first, f -> new AtomicInteger(2)).getAndDecrement() > 0) {
                throw new IllegalStateException("downstream unavailable");
            }
            return new StreamsEventResponse(List.of());
        };
        KinesisEventSourceMapping esm = mapping(stack, function, KinesisEventSourceMapping.Settings.defaults().withBatchSize(10), null);

        Map<RecordKey, KeyStatus> status = awaitClassified(written, s -> s.values().stream()
                .allMatch(k -> k.classification() == Classification.PROCESSED));

        assertThat(status.values()).allMatch(k -> k.count() == 1);
        assertThat(esm.failedInvocations()).isEqualTo(2);
        // The function handled the first batch three times; only the successful time was processing.
        for (int i = 0; i < written.size(); i++) {
            assertThat(handled.get(written.get(i)).get()).as("handled %s", written.get(i)).isEqualTo(i < 10 ? 3 : 1);
        }
    }

    @Test
    void noticesPublishedTooLateFailTheInvocationAndTheRecordsHandledTwiceAreCountedDuplicated(LocalStack stack) {
        List<RecordKey> written = setUp(stack, "late", 20);
        Duration publishTimeout = Duration.ofSeconds(2);
        AtomicInteger firstBatchInvocations = new AtomicInteger();
        RequestHandler<KinesisEvent, StreamsEventResponse> function = (event, context) -> {
            boolean firstBatch = event.getRecords().get(0).getKinesis().getSequenceNumber().equals(written.get(0).sequenceNumber());
            int invocation = firstBatch ? firstBatchInvocations.incrementAndGet() : 0;
            if (invocation == 2) {
                stack.resumeMoto();
            }
            event.getRecords().forEach(this::handle);
            if (invocation == 1) {
                // SNS stops answering after the records were handled: the notices cannot go out within the timeout.
                stack.pauseMoto();
            }
            return null;
        };
        KinesisEventSourceMapping esm = mapping(stack, function, KinesisEventSourceMapping.Settings.defaults().withBatchSize(10),
                null, publishTimeout);

        Map<RecordKey, KeyStatus> status = awaitClassified(written, s -> written.stream().allMatch(k ->
                s.get(k).classification() == (handled.get(k).get() == 2 ? Classification.DUPLICATED : Classification.PROCESSED)));

        assertThat(esm.failedInvocations()).isEqualTo(1);
        for (int i = 0; i < written.size(); i++) {
            RecordKey k = written.get(i);
            assertThat(handled.get(k).get()).as("handled %s", k).isEqualTo(i < 10 ? 2 : 1);
            assertThat(status.get(k).count()).as("ledger count of %s", k).isEqualTo(handled.get(k).get());
        }
    }

    @Test
    void aPoisonRecordAfterTwoRetriesGoesToTheOnFailureQueueAndIsReportedSkipped(LocalStack stack) throws Exception {
        List<RecordKey> written = setUp(stack, "poison", 8);
        String poison = written.get(3).sequenceNumber();
        RequestHandler<KinesisEvent, StreamsEventResponse> function = (event, context) -> {
            for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
                if (r.getKinesis().getSequenceNumber().equals(poison)) {
                    throw new IllegalArgumentException("cannot parse " + poison);
                }
            }
            event.getRecords().forEach(this::handle);
            return null;
        };
        String queueUrl = stack.sqs().createQueue(b -> b.queueName("esm-failure-" + stream)).queueUrl();
        KinesisEventSourceMapping esm = mapping(stack, function, KinesisEventSourceMapping.Settings.defaults().withBatchSize(8)
                .withBisectBatchOnFunctionError(true).withMaximumRetryAttempts(2), queueUrl);

        Map<RecordKey, KeyStatus> status = awaitClassified(written, s -> s.get(written.get(3)).classification() == Classification.SKIPPED
                && s.values().stream().filter(k -> k.classification() == Classification.PROCESSED).count() == 7);

        assertThat(status.values()).allMatch(k -> k.count() <= 1);
        assertThat(esm.discardedBatches()).isEqualTo(1);
        List<Message> failed = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            failed.addAll(stack.sqs().receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)).messages());
            return !failed.isEmpty();
        });
        assertThat(failed).hasSize(1);
        JsonNode record = JSON.readTree(failed.get(0).body());
        assertThat(record.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(record.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(3);
        JsonNode info = record.get("KinesisBatchInfo");
        assertThat(info.get("shardId").asText()).isEqualTo(SHARD);
        assertThat(info.get("startSequenceNumber").asText()).isEqualTo(poison);
        assertThat(info.get("endSequenceNumber").asText()).isEqualTo(poison);
        assertThat(info.get("batchSize").asInt()).isEqualTo(1);
        assertThat(info.get("streamArn").asText()).endsWith(":stream/" + stream);
    }

    @Test
    void partialBatchResponsesRetryOnlyTheReportedRecords(LocalStack stack) {
        List<RecordKey> written = setUp(stack, "partial", 10);
        String flaky = written.get(6).sequenceNumber();
        AtomicInteger flakyFailures = new AtomicInteger(1);
        RequestHandler<KinesisEvent, StreamsEventResponse> function = NoticedKinesisHandler.perRecordHandler((r, context) -> {
            if (r.getKinesis().getSequenceNumber().equals(flaky) && flakyFailures.getAndDecrement() > 0) {
                throw new IllegalStateException("timeout calling the payment service");
            }
            handle(r);
        });
        KinesisEventSourceMapping esm = mapping(stack, function, KinesisEventSourceMapping.Settings.defaults().withBatchSize(10)
                .withReportBatchItemFailures(true), null);

        Map<RecordKey, KeyStatus> status = awaitClassified(written, s -> s.values().stream()
                .allMatch(k -> k.classification() == Classification.PROCESSED));

        assertThat(status.values()).allMatch(k -> k.count() == 1);
        assertThat(events).containsExactly(List.of(written.get(0).sequenceNumber(), "10"), List.of(flaky, "4"));
        assertThat(written).allMatch(k -> handled.get(k).get() == 1);
        assertThat(esm.failedInvocations()).isEqualTo(1);
    }

    private void handle(KinesisEvent.KinesisEventRecord r) {
        handled.computeIfAbsent(RecordKey.of(SHARD, r.getKinesis().getSequenceNumber()), k -> new AtomicInteger()).incrementAndGet();
    }

    /** A one-shard stream with {@code count} records, a topic, and its notified Lambda recording into the ledger. */
    private List<RecordKey> setUp(LocalStack stack, String name, int count) {
        this.stack = stack;
        stream = name + "-" + System.nanoTime();
        app = "lambda-" + stream;
        stack.createStream(stream, 1);
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey("pk-" + i)
                    .data(SdkBytes.fromString("record " + i, StandardCharsets.UTF_8)).build());
        }
        List<RecordKey> written = stack.kinesis().putRecords(b -> b.streamName(stream).records(entries)).records().stream()
                .map(r -> RecordKey.of(r.shardId(), r.sequenceNumber())).collect(Collectors.toList());
        assertThat(written).hasSize(count).allMatch(k -> k.shardId().equals(SHARD));

        ledger = RedisLedger.connect(stack.endpoints().redis().toString(), false, Duration.ofHours(1));
        open.add(ledger);
        String topicArn = stack.sns().createTopic(b -> b.name("notices-" + stream)).topicArn();
        NoticeCodec codec = new NoticeCodec();
        RequestHandler<SNSEvent, Void> notified = (event, context) -> {
            event.getRecords().forEach(r -> ledger.record(codec.decode(r.getSNS().getMessage())));
            return null;
        };
        open.add(SnsToLambdaRuntime.builder().stack(stack).topicArn(topicArn).functionName("notified-" + stream)
                .handler(notified).start());
        SnsAsyncClient sns = SnsAsyncClient.builder().endpointOverride(stack.endpoints().sns()).region(AwsClients.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
        open.add(sns);
        SnsNoticePublisher publisher = new SnsNoticePublisher(sns, topicArn, Duration.ZERO, Duration.ofSeconds(5));
        open.add(publisher);
        this.topicPublisher = publisher;
        return written;
    }

    private KinesisEventSourceMapping mapping(LocalStack stack, RequestHandler<KinesisEvent, StreamsEventResponse> function,
                                              KinesisEventSourceMapping.Settings settings, String onFailureQueueUrl) {
        return mapping(stack, function, settings, onFailureQueueUrl, Duration.ofSeconds(20));
    }

    private KinesisEventSourceMapping mapping(LocalStack stack, RequestHandler<KinesisEvent, StreamsEventResponse> function,
                                              KinesisEventSourceMapping.Settings settings, String onFailureQueueUrl,
                                              Duration publishTimeout) {
        RequestHandler<KinesisEvent, StreamsEventResponse> recording = (event, context) -> {
            events.add(List.of(event.getRecords().get(0).getKinesis().getSequenceNumber(), String.valueOf(event.getRecords().size())));
            return function.handleRequest(event, context);
        };
        NoticedKinesisHandler wrapped = new NoticedKinesisHandler(recording, topicPublisher, app, publishTimeout);
        KinesisEventSourceMapping esm = KinesisEventSourceMapping.builder().kinesis(stack.kinesis()).streamName(stream)
                .functionName("consumer-" + stream).handler(wrapped).settings(settings)
                .onFailure(stack.sqs(), onFailureQueueUrl).start();
        open.add(esm);
        return esm;
    }

    private Map<RecordKey, KeyStatus> awaitClassified(List<RecordKey> written,
                                                      Predicate<Map<RecordKey, KeyStatus>> done) {
        Scope scope = new Scope(stream, app);
        List<Map<RecordKey, KeyStatus>> last = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            Map<RecordKey, KeyStatus> now = ledger.classify(scope, written).stream().collect(Collectors.toMap(KeyStatus::key, k -> k));
            last.add(0, now);
            return done.test(now);
        });
        return last.get(0);
    }
}
