package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Kinesis → Lambda event source mapping, locally: kinesis-local cannot invoke Lambda, so each shard is polled with
 * GetRecords (from TRIM_HORIZON) and its records are handed to the function's handler as a {@link KinesisEvent}
 * built the way Lambda builds it ({@code eventID} {@code shardId:sequenceNumber}, the stream's ARN, data as bytes).
 * It follows AWS's documented semantics ("Using Lambda with Kinesis", "Error handling for Kinesis event sources",
 * "Reporting batch item failures", CreateEventSourceMapping):
 *
 * <ul>
 *   <li><b>BatchSize</b>: at most that many records per invocation; <b>MaximumBatchingWindowInSeconds</b>: once a
 *       shard has records, up to that long is spent gathering more before invoking (zero: invoke with what one
 *       GetRecords returned).</li>
 *   <li>Records of a shard are handed over in order, one batch at a time per shard (ParallelizationFactor 1): a
 *       failing batch blocks its shard until it succeeds or is discarded; other shards go on.</li>
 *   <li>A <b>function error</b> (the handler threw) retries the batch. With <b>BisectBatchOnFunctionError</b> the
 *       failed batch is first split in two halves, each retried on its own, earlier half first; splitting does not
 *       consume the retry quota, a batch of one record cannot split and retries.</li>
 *   <li><b>ReportBatchItemFailures</b>: a returned {@code batchItemFailures} list makes the mapping retry from the
 *       lowest sequence number it names (that record and every later one of the batch; earlier ones are done); an
 *       empty list or none is success; an item identifier that is null, empty or not in the batch fails the whole
 *       batch. Without the setting the answer is ignored and a returned batch is a success.</li>
 *   <li><b>MaximumRetryAttempts</b> (-1: unlimited, the default, as on AWS until the records expire): a batch
 *       (or remainder) that failed after that many retries is discarded and its record range sent to the
 *       <b>on-failure destination</b> (an SQS queue) in the invocation record Lambda sends for Kinesis: a JSON
 *       document with {@code requestContext} (condition {@code RetryAttemptsExhausted}, approximateInvokeCount),
 *       {@code responseContext} and {@code KinesisBatchInfo} (shardId, start/endSequenceNumber,
 *       approximateArrivalOf{First,Last}Record, batchSize, streamArn); the records themselves are not sent. Then
 *       the shard moves on past them.</li>
 * </ul>
 *
 * Not modelled: MaximumRecordAgeInSeconds, TumblingWindow, ParallelizationFactor &gt; 1, resharding (the shards are
 * those listed at start, each read to its end), throttling and invocation timeouts (the handler runs on the shard's
 * thread; a retry waits {@code retryDelay}), concurrency: one execution environment, so invocations of different
 * shards take turns (on AWS each shard's batch runs at the same time as the others'). Checkpoints live in memory: a new mapping starts again at TRIM_HORIZON.
 */
public final class KinesisEventSourceMapping implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KinesisEventSourceMapping.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The mapping's settings, with AWS's names; {@link #defaults()} are AWS's defaults except the retry quota. */
    public record Settings(int batchSize, Duration batchingWindow, boolean bisectBatchOnFunctionError,
                           boolean reportBatchItemFailures, int maximumRetryAttempts, Duration retryDelay,
                           Duration pollInterval) {
        public Settings {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("BatchSize must be 1 to 10,000, was " + batchSize);
            }
            if (maximumRetryAttempts < -1 || maximumRetryAttempts > 10_000) {
                throw new IllegalArgumentException("MaximumRetryAttempts must be -1 to 10,000, was " + maximumRetryAttempts);
            }
            Objects.requireNonNull(batchingWindow, "batchingWindow");
            Objects.requireNonNull(retryDelay, "retryDelay");
            Objects.requireNonNull(pollInterval, "pollInterval");
        }

        public static Settings defaults() {
            return new Settings(100, Duration.ZERO, false, false, -1, Duration.ofMillis(100), Duration.ofMillis(200));
        }

        public Settings withBatchSize(int n) {
            return new Settings(n, batchingWindow, bisectBatchOnFunctionError, reportBatchItemFailures, maximumRetryAttempts, retryDelay, pollInterval);
        }

        public Settings withBatchingWindow(Duration d) {
            return new Settings(batchSize, d, bisectBatchOnFunctionError, reportBatchItemFailures, maximumRetryAttempts, retryDelay, pollInterval);
        }

        public Settings withBisectBatchOnFunctionError(boolean b) {
            return new Settings(batchSize, batchingWindow, b, reportBatchItemFailures, maximumRetryAttempts, retryDelay, pollInterval);
        }

        public Settings withReportBatchItemFailures(boolean b) {
            return new Settings(batchSize, batchingWindow, bisectBatchOnFunctionError, b, maximumRetryAttempts, retryDelay, pollInterval);
        }

        public Settings withMaximumRetryAttempts(int n) {
            return new Settings(batchSize, batchingWindow, bisectBatchOnFunctionError, reportBatchItemFailures, n, retryDelay, pollInterval);
        }
    }

    private final KinesisClient kinesis;
    private final SqsClient sqs;
    private final String onFailureQueueUrl;
    private final String streamArn;
    private final String region;
    private final String functionName;
    private final RequestHandler<KinesisEvent, StreamsEventResponse> handler;
    private final Settings settings;
    private final Duration timeout;
    private final List<Thread> pollers = new ArrayList<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong failedInvocations = new AtomicLong();
    private final AtomicLong discardedBatches = new AtomicLong();
    private final Object invoking = new Object();

    private KinesisEventSourceMapping(Builder b) {
        this.kinesis = Objects.requireNonNull(b.kinesis, "kinesis");
        this.sqs = b.sqs;
        this.onFailureQueueUrl = b.onFailureQueueUrl;
        this.functionName = Objects.requireNonNull(b.functionName, "functionName");
        this.handler = Objects.requireNonNull(b.handler, "handler");
        this.settings = b.settings;
        this.timeout = b.timeout;
        this.streamArn = kinesis.describeStreamSummary(r -> r.streamName(b.streamName)).streamDescriptionSummary().streamARN();
        this.region = streamArn.split(":")[3];
        for (Shard shard : kinesis.listShards(r -> r.streamName(b.streamName)).shards()) {
            Thread t = new Thread(() -> pollShard(b.streamName, shard.shardId()), "esm-" + functionName + "-" + shard.shardId());
            t.setDaemon(true);
            pollers.add(t);
        }
        pollers.forEach(Thread::start);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Invocations made, failed ones included. */
    public long invocations() {
        return invocations.get();
    }

    /** Invocations that threw or reported batch item failures the mapping acted on. */
    public long failedInvocations() {
        return failedInvocations.get();
    }

    /** Batches (or remainders) given up after MaximumRetryAttempts and sent to the on-failure destination. */
    public long discardedBatches() {
        return discardedBatches.get();
    }

    /** One batch still to deliver, and how many times it has been retried. */
    private record Pending(List<Record> records, int retries) {
    }

    private void pollShard(String stream, String shardId) {
        String iterator = kinesis.getShardIterator(r -> r.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        Deque<Record> buffer = new ArrayDeque<>();
        long firstBufferedAt = 0;
        while (stopping.getCount() > 0) {
            try {
                if (iterator != null && buffer.size() < settings.batchSize()) {
                    String it = iterator;
                    GetRecordsResponse got = kinesis.getRecords(r -> r.shardIterator(it).limit(settings.batchSize() - buffer.size()));
                    iterator = got.nextShardIterator();
                    if (buffer.isEmpty() && !got.records().isEmpty()) {
                        firstBufferedAt = System.nanoTime();
                    }
                    buffer.addAll(got.records());
                    if (buffer.isEmpty()) {
                        if (iterator == null) {
                            return;
                        }
                        pause(settings.pollInterval());
                        continue;
                    }
                    long windowLeft = settings.batchingWindow().toNanos() - (System.nanoTime() - firstBufferedAt);
                    if (buffer.size() < settings.batchSize() && windowLeft > 0 && iterator != null) {
                        if (got.records().isEmpty()) {
                            pause(Duration.ofNanos(Math.min(windowLeft, settings.pollInterval().toNanos())));
                        }
                        continue;
                    }
                }
                if (buffer.isEmpty()) {
                    return;
                }
                List<Record> batch = new ArrayList<>();
                while (!buffer.isEmpty() && batch.size() < settings.batchSize()) {
                    batch.add(buffer.pollFirst());
                }
                deliver(shardId, batch);
            } catch (RuntimeException e) {
                if (stopping.getCount() == 0) {
                    return;
                }
                log.warn("event source mapping of {} on {}: {}", functionName, shardId, e.toString());
                pause(settings.pollInterval());
            }
        }
    }

    /** Delivers one batch until every record of it is processed or discarded. */
    private void deliver(String shardId, List<Record> batch) {
        Deque<Pending> work = new ArrayDeque<>();
        work.push(new Pending(batch, 0));
        while (!work.isEmpty() && stopping.getCount() > 0) {
            Pending p = work.pop();
            List<Record> retry;
            boolean functionError = false;
            try {
                StreamsEventResponse response = invoke(shardId, p.records());
                retry = settings.reportBatchItemFailures() ? fromLowestFailure(p.records(), response) : List.of();
            } catch (RuntimeException | Error e) {
                functionError = true;
                retry = p.records();
                log.info("{} failed on {} records of {} from {}: {}", functionName, p.records().size(), shardId,
                        p.records().get(0).sequenceNumber(), e.toString());
            }
            if (retry.isEmpty()) {
                continue;
            }
            failedInvocations.incrementAndGet();
            if (functionError && settings.bisectBatchOnFunctionError() && retry.size() > 1) {
                int half = retry.size() / 2;
                work.push(new Pending(retry.subList(half, retry.size()), p.retries()));
                work.push(new Pending(retry.subList(0, half), p.retries()));
                continue;
            }
            if (settings.maximumRetryAttempts() >= 0 && p.retries() >= settings.maximumRetryAttempts()) {
                discard(shardId, retry, p.retries() + 1, functionError);
                continue;
            }
            pause(settings.retryDelay());
            work.push(new Pending(retry, p.retries() + 1));
        }
    }

    /** The records to retry after a returned answer: none, from the lowest failed sequence on, or all. */
    private static List<Record> fromLowestFailure(List<Record> records, StreamsEventResponse response) {
        if (response == null || response.getBatchItemFailures() == null || response.getBatchItemFailures().isEmpty()) {
            return List.of();
        }
        int lowest = Integer.MAX_VALUE;
        for (StreamsEventResponse.BatchItemFailure f : response.getBatchItemFailures()) {
            String id = f == null ? null : f.getItemIdentifier();
            int index = -1;
            for (int i = 0; id != null && i < records.size(); i++) {
                if (records.get(i).sequenceNumber().equals(id)) {
                    index = i;
                    break;
                }
            }
            if (index < 0) {
                // Lambda: an invalid item identifier fails the whole batch.
                return records;
            }
            lowest = Math.min(lowest, index);
        }
        return records.subList(lowest, records.size());
    }

    private StreamsEventResponse invoke(String shardId, List<Record> records) {
        KinesisEvent event = new KinesisEvent();
        List<KinesisEvent.KinesisEventRecord> list = new ArrayList<>(records.size());
        for (Record r : records) {
            KinesisEvent.Record kinesisRecord = new KinesisEvent.Record();
            kinesisRecord.setKinesisSchemaVersion("1.0");
            kinesisRecord.setPartitionKey(r.partitionKey());
            kinesisRecord.setSequenceNumber(r.sequenceNumber());
            kinesisRecord.setData(r.data().asByteBuffer());
            kinesisRecord.setApproximateArrivalTimestamp(Date.from(r.approximateArrivalTimestamp()));
            KinesisEvent.KinesisEventRecord e = new KinesisEvent.KinesisEventRecord();
            e.setEventSource("aws:kinesis");
            e.setEventVersion("1.0");
            e.setEventID(shardId + ":" + r.sequenceNumber());
            e.setEventName("aws:kinesis:record");
            e.setInvokeIdentityArn("arn:aws:iam::000000000000:role/" + functionName);
            e.setAwsRegion(region);
            e.setEventSourceARN(streamArn);
            e.setKinesis(kinesisRecord);
            list.add(e);
        }
        event.setRecords(list);
        invocations.incrementAndGet();
        // One execution environment: invocations of every shard take turns, as with a concurrency of one.
        synchronized (invoking) {
            return handler.handleRequest(event, new LocalLambdaContext(functionName, UUID.randomUUID().toString(), timeout));
        }
    }

    private void discard(String shardId, List<Record> records, int invokeCount, boolean functionError) {
        discardedBatches.incrementAndGet();
        log.warn("{}: giving up {} records of {} ({} to {}) after {} invocations", functionName, records.size(), shardId,
                records.get(0).sequenceNumber(), records.get(records.size() - 1).sequenceNumber(), invokeCount);
        if (sqs == null || onFailureQueueUrl == null) {
            return;
        }
        sqs.sendMessage(m -> m.queueUrl(onFailureQueueUrl).messageBody(invocationRecord(shardId, records, invokeCount, functionError)));
    }

    /** The invocation record Lambda sends an on-failure destination for a Kinesis batch. */
    String invocationRecord(String shardId, List<Record> records, int invokeCount, boolean functionError) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode request = root.putObject("requestContext");
        request.put("requestId", UUID.randomUUID().toString());
        request.put("functionArn", "arn:aws:lambda:" + region + ":000000000000:function:" + functionName);
        request.put("condition", "RetryAttemptsExhausted");
        request.put("approximateInvokeCount", invokeCount);
        ObjectNode response = root.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "$LATEST");
        if (functionError) {
            response.put("functionError", "Unhandled");
        }
        root.put("version", "1.0");
        root.put("timestamp", Instant.now().toString());
        ObjectNode info = root.putObject("KinesisBatchInfo");
        info.put("shardId", shardId);
        info.put("startSequenceNumber", records.get(0).sequenceNumber());
        info.put("endSequenceNumber", records.get(records.size() - 1).sequenceNumber());
        info.put("approximateArrivalOfFirstRecord", records.get(0).approximateArrivalTimestamp().toString());
        info.put("approximateArrivalOfLastRecord", records.get(records.size() - 1).approximateArrivalTimestamp().toString());
        info.put("batchSize", records.size());
        info.put("streamArn", streamArn);
        return root.toString();
    }

    private void pause(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            stopping.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopping.countDown();
        for (Thread t : pollers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public static final class Builder {
        private KinesisClient kinesis;
        private SqsClient sqs;
        private String onFailureQueueUrl;
        private String streamName;
        private String functionName;
        private RequestHandler<KinesisEvent, StreamsEventResponse> handler;
        private Settings settings = Settings.defaults();
        private Duration timeout = Duration.ofMinutes(1);

        public Builder kinesis(KinesisClient kinesis) {
            this.kinesis = kinesis;
            return this;
        }

        public Builder streamName(String streamName) {
            this.streamName = streamName;
            return this;
        }

        public Builder functionName(String functionName) {
            this.functionName = functionName;
            return this;
        }

        public Builder handler(RequestHandler<KinesisEvent, StreamsEventResponse> handler) {
            this.handler = handler;
            return this;
        }

        public Builder settings(Settings settings) {
            this.settings = settings;
            return this;
        }

        /** The on-failure destination: an SQS queue. */
        public Builder onFailure(SqsClient sqs, String queueUrl) {
            this.sqs = sqs;
            this.onFailureQueueUrl = queueUrl;
            return this;
        }

        /** What the handler's context reports as its remaining time. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Starts polling every shard of the stream. */
        public KinesisEventSourceMapping start() {
            return new KinesisEventSourceMapping(this);
        }
    }
}
