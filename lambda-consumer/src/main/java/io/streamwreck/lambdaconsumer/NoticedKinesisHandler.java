package io.streamwreck.lambdaconsumer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.streamwreck.core.notice.NoticeCodec;
import io.streamwreck.publish.NoticeFactory;
import io.streamwreck.publish.NoticePublisher;
import io.streamwreck.publish.OutgoingNotice;
import io.streamwreck.publish.SnsNoticePublisher;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.sns.SnsAsyncClient;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Wraps the handler of a Kinesis-triggered Lambda function so that the ledger learns, record by record, what it
 * processed: before the answer goes back to Lambda, the notices for the event ({@link EventNotices}) are published
 * to SNS, in the processor's format. Thin: a handler class of the function is one line,
 *
 * <pre>{@code
 * public final class MyHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {
 *     private static final NoticedKinesisHandler HANDLER = NoticedKinesisHandler.wrap(new MyRealHandler());
 *     public StreamsEventResponse handleRequest(KinesisEvent e, Context c) { return HANDLER.handleRequest(e, c); }
 * }
 * }</pre>
 *
 * <p>Set {@code ReportBatchItemFailures} on the event source mapping when the handler returns batch item failures,
 * or Lambda ignores them (and then so should the ledger: the wrapper cannot know, it reports what the handler said).
 * A handler that throws gets its delivered range reported, nothing processed, and its exception rethrown. When the
 * notices cannot be published in time (SNS down), the invocation fails so that Lambda hands the batch over again:
 * a notice still queued may be published on a later invocation, and the records handled twice then show as
 * duplicated — true, since they were.
 *
 * <p>Settings from the environment: {@code TOPIC_ARN} (the notices topic), {@code APP_NAME} (the app notices name;
 * default the function's name); SNS's endpoint and region the SDK's usual way. The SNS client and its publisher are
 * made once per execution environment ({@link #wrap}, called from a static field), with a short call timeout and no
 * SDK retries; the sender thread only waits
 * between invocations, so a frozen environment loses nothing.
 */
public final class NoticedKinesisHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {

    /** A per-record function: a record it throws on is reported as a batch item failure. */
    @FunctionalInterface
    public interface RecordFunction {
        void handle(KinesisEvent.KinesisEventRecord record, Context context) throws Exception;
    }

    /** How long one SNS call may take before it is retried. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
    /** The longest an invocation waits for its notices; never past the function's own deadline less a second. */
    static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(20);

    private final RequestHandler<KinesisEvent, StreamsEventResponse> handler;
    private final NoticePublisher publisher;
    private final String app;
    private final Duration publishTimeout;
    private final NoticeCodec codec = new NoticeCodec();

    public NoticedKinesisHandler(RequestHandler<KinesisEvent, StreamsEventResponse> handler, NoticePublisher publisher,
                                 String app, Duration publishTimeout) {
        this.handler = handler;
        this.publisher = publisher;
        this.app = app;
        this.publishTimeout = publishTimeout;
    }

    /** The handler, its notices published to {@code $TOPIC_ARN}. */
    public static NoticedKinesisHandler wrap(RequestHandler<KinesisEvent, StreamsEventResponse> handler) {
        String topicArn = System.getenv("TOPIC_ARN");
        if (topicArn == null || topicArn.isBlank()) {
            throw new IllegalStateException("TOPIC_ARN is not set: the notices topic of the stream");
        }
        SnsAsyncClient sns = SnsAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                // No SDK retries: the publisher retries itself, within the invocation's time.
                .overrideConfiguration(c -> c.apiCallTimeout(CALL_TIMEOUT).apiCallAttemptTimeout(CALL_TIMEOUT)
                        .retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        return new NoticedKinesisHandler(handler, new SnsNoticePublisher(sns, topicArn, Duration.ZERO, Duration.ofSeconds(2)),
                System.getenv("APP_NAME"), PUBLISH_TIMEOUT);
    }

    /** A per-record function, its notices published to {@code $TOPIC_ARN}. */
    public static NoticedKinesisHandler perRecord(RecordFunction function) {
        return wrap(perRecordHandler(function));
    }

    /**
     * Runs {@code function} on each record in sequence order per shard; at the first record it throws on, that record
     * is reported failed and the shard's later records are not run (Lambda hands them over again anyway).
     */
    public static RequestHandler<KinesisEvent, StreamsEventResponse> perRecordHandler(RecordFunction function) {
        return (event, context) -> {
            List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
            Set<String> failedShards = new HashSet<>();
            for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
                String shard = EventNotices.shardId(r);
                if (failedShards.contains(shard)) {
                    continue;
                }
                try {
                    function.handle(r, context);
                } catch (Exception e) {
                    failedShards.add(shard);
                    failures.add(new StreamsEventResponse.BatchItemFailure(r.getKinesis().getSequenceNumber()));
                }
            }
            return new StreamsEventResponse(failures);
        };
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        EventNotices notices = notices(context);
        StreamsEventResponse response;
        try {
            response = handler.handleRequest(event, context);
        } catch (RuntimeException | Error e) {
            try {
                publish(notices.threw(event), context);
            } catch (RuntimeException publishFailure) {
                e.addSuppressed(publishFailure);
            }
            throw e;
        }
        publish(notices.returned(event, response), context);
        return response;
    }

    private EventNotices notices(Context context) {
        String function = context == null ? "lambda" : context.getFunctionName();
        String worker = context == null ? function : function + "/" + context.getLogStreamName();
        String appName = app == null || app.isBlank() ? function : app;
        return new EventNotices(stream -> new NoticeFactory(stream, appName, worker, codec, NoticeFactory.DEFAULT_MAX_BYTES,
                () -> UUID.randomUUID().toString(), Clock.systemUTC()));
    }

    private void publish(List<OutgoingNotice> notices, Context context) {
        if (notices.isEmpty()) {
            return;
        }
        long waitMillis = publishTimeout.toMillis();
        if (context != null && context.getRemainingTimeInMillis() > 0) {
            waitMillis = Math.min(waitMillis, Math.max(100, context.getRemainingTimeInMillis() - 1_000L));
        }
        var published = publisher.publish(notices);
        publisher.flush();
        try {
            published.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NoticesNotPublishedException(notices.size(), e);
        } catch (Exception e) {
            throw new NoticesNotPublishedException(notices.size(), e);
        }
    }

    /** The notices of an invocation were not published in time: the invocation fails, Lambda retries the batch. */
    public static final class NoticesNotPublishedException extends RuntimeException {
        NoticesNotPublishedException(int notices, Throwable cause) {
            super(notices + " notices were not published in time; failing the invocation so the batch is delivered again", cause);
        }
    }
}
