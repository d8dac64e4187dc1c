package io.streamwreck.producer;

import io.streamwreck.core.RecordKey;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.producer.StreamContents.StoredRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Failed attempts and how the writer recovers from them.
 *
 * <p>kinesis-local (kinesis-mock 0.6.2) enforces no per-shard write limit — its PutRecords only ever fails an
 * entry that is larger than the stream's record size — so a real partial failure cannot be provoked by writing
 * fast. Throttled entries are therefore injected at the client by {@link PartialFailureInjector}, which keeps
 * them out of the request, so that the stream ends up exactly as a real partial throttling would leave it.
 * Time-outs are real: a proxy holds back a response that kinesis-local has already sent.
 */
@WithLocalStack
class KinesisWriterRetryIT {

    @TempDir
    Path dir;

    @Test
    void entriesAResponseReportsAsFailedAreRetriedAloneUntilWritten(LocalStack stack) throws Exception {
        String stream = LocalKinesis.newStream(stack, "partial", 2);
        // Records n ≡ 0 (mod 3) fail once; n ≡ 0 (mod 9) fail twice. The others go through the first time.
        Map<String, Integer> failuresLeft = new ConcurrentHashMap<>();
        for (int n = 0; n < 900; n += 3) {
            failuresLeft.put("n" + n, n % 9 == 0 ? 2 : 1);
        }
        PartialFailureInjector injector = new PartialFailureInjector(entry -> consume(failuresLeft, entry));
        // (consume has a side effect, but the injector asks once per entry and fails every entry it says yes to.)
        List<CompletableFuture<WriteResult>> futures = new ArrayList<>();
        WriterStats stats;
        try (WriterClient client = LocalKinesis.client(stack, injector);
             KinesisWriter writer = KinesisWriter.start(client.kinesis(), settings(stream).build())) {
            for (int n = 0; n < 900; n++) {
                futures.add(writer.write(OutgoingRecord.of("pk" + n, ("n" + n).getBytes(StandardCharsets.UTF_8))));
            }
            writer.flush().get(30, TimeUnit.SECONDS);
            stats = writer.stats();
        }

        assertThat(injector.injected()).isEqualTo(300 + 100);
        assertThat(stats.failedEntries()).isEqualTo(400);
        assertThat(stats.retried()).as("only the failed entries were sent again").isEqualTo(400);
        assertThat(stats.written()).isEqualTo(900);
        assertThat(stats.failed()).isZero();
        for (int n = 0; n < 900; n++) {
            int expectedAttempts = n % 9 == 0 ? 3 : n % 3 == 0 ? 2 : 1;
            assertThat(futures.get(n).get().attempts()).as("attempts of n%d", n).isEqualTo(expectedAttempts);
        }
        List<StoredRecord> stored = StreamContents.readAll(stack.kinesis(), stream);
        assertThat(stored).as("every record once: a retry of a failed entry never duplicates").hasSize(900);
        Map<String, RecordKey> read = stored.stream().collect(Collectors.toMap(StoredRecord::data, StoredRecord::key));
        for (int n = 0; n < 900; n++) {
            assertThat(read.get("n" + n)).isEqualTo(futures.get(n).get().key());
        }
    }

    @Test
    void aRecordThrottledOnEveryAttemptFailsAtItsDeadlineWithTheLastError(LocalStack stack) throws Exception {
        String stream = LocalKinesis.newStream(stack, "hot", 1);
        PartialFailureInjector injector = new PartialFailureInjector(entry -> entry.partitionKey().equals("hot"));
        Duration deadline = Duration.ofMillis(1500);
        List<CompletableFuture<WriteResult>> others = new ArrayList<>();
        CompletableFuture<WriteResult> hot;
        long acceptedAt;
        try (WriterClient client = LocalKinesis.client(stack, injector);
             KinesisWriter writer = KinesisWriter.start(client.kinesis(), settings(stream).deadline(deadline).build())) {
            acceptedAt = System.nanoTime();
            hot = writer.write(OutgoingRecord.of("hot", "hot".getBytes(StandardCharsets.UTF_8)).withId("the-hot-one"));
            for (int i = 0; i < 20; i++) {
                others.add(writer.write(OutgoingRecord.of("cold" + i, ("cold" + i).getBytes(StandardCharsets.UTF_8))));
            }
            assertThatThrownBy(() -> hot.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RecordNotWrittenException.class);
        }
        long failedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - acceptedAt);
        RecordNotWrittenException failure = (RecordNotWrittenException) hot.handle((r, e) -> e).get();
        assertThat(failure.reason()).isEqualTo(RecordNotWrittenException.Reason.DEADLINE);
        assertThat(failure.attempts()).as("retried until the deadline").isGreaterThanOrEqualTo(3);
        assertThat(failure.lastError()).startsWith("ProvisionedThroughputExceededException");
        assertThat(failure.getMessage()).contains("the-hot-one", "deadline of 1500 ms", "ProvisionedThroughputExceededException");
        // It fails when no further attempt fits before the deadline: at most one backoff ceiling (200 ms) plus the
        // least time an attempt is given (50 ms) early.
        assertThat(failedAfterMs).isGreaterThanOrEqualTo(deadline.toMillis() - 200 - 50);
        assertThat(failedAfterMs).isLessThan(deadline.toMillis() + 1000);
        assertThat(others).allSatisfy(f -> assertThat(f.get().attempts()).isEqualTo(1));
        assertThat(StreamContents.readAll(stack.kinesis(), stream)).extracting(StoredRecord::partitionKey)
                .hasSize(20).doesNotContain("hot");
    }

    @Test
    void aCallThatTimesOutAfterKinesisStoredItIsRetriedSoItsRecordsAppearTwice(LocalStack stack) throws Exception {
        String stream = LocalKinesis.newStream(stack, "timeout", 1);
        Path log = dir.resolve("written.log");
        List<CompletableFuture<WriteResult>> futures = new ArrayList<>();
        WriterStats stats;
        try (ResponseHoldingProxy proxy = new ResponseHoldingProxy(stack.endpoints().kinesis());
             WriterClient client = LocalKinesis.client(proxy.endpoint())) {
            try (KinesisWriter writer = KinesisWriter.start(client.kinesis(), settings(stream)
                    .callTimeout(Duration.ofSeconds(2)).writtenLog(log).build())) {
                proxy.holdNextResponse();
                for (int i = 0; i < 10; i++) {
                    futures.add(writer.write(OutgoingRecord.of("k" + i, ("t" + i).getBytes(StandardCharsets.UTF_8)).withId("t" + i)));
                }
                assertThat(proxy.awaitHeld(10)).as("the first PutRecords response was held").isTrue();
                writer.flush().get(20, TimeUnit.SECONDS);
                stats = writer.stats();
            }
        }

        assertThat(stats.failedCalls()).isEqualTo(1);
        assertThat(stats.written()).isEqualTo(10);
        assertThat(futures).allSatisfy(f -> assertThat(f.get().attempts()).isEqualTo(2));
        List<StoredRecord> stored = StreamContents.readAll(stack.kinesis(), stream);
        // The documented at-least-once trade-off: Kinesis stored the timed-out call, and the retry stored it again.
        assertThat(stored).hasSize(20);
        Map<String, List<RecordKey>> copies = stored.stream().collect(Collectors.groupingBy(StoredRecord::data,
                Collectors.mapping(StoredRecord::key, Collectors.toList())));
        assertThat(copies).hasSize(10).allSatisfy((data, keys) -> assertThat(keys).hasSize(2));
        // The future and the written log name the copy of the attempt that succeeded: the second, later one.
        for (int i = 0; i < 10; i++) {
            List<RecordKey> keys = copies.get("t" + i);
            assertThat(futures.get(i).get().key()).isEqualTo(keys.stream().max(RecordKey::compareTo).orElseThrow());
        }
        assertThat(WrittenLog.read(log)).hasSize(10).allSatisfy(line ->
                assertThat(copies.get(line.recordId())).contains(line.key()));
    }

    @Test
    void recordsForAStreamDeletedUnderTheWriterFailAtOnceNotAtTheirDeadline(LocalStack stack) throws Exception {
        String stream = LocalKinesis.newStream(stack, "deleted", 1);
        try (WriterClient client = LocalKinesis.client(stack);
             KinesisWriter writer = KinesisWriter.start(client.kinesis(), settings(stream).deadline(Duration.ofMinutes(5)).build())) {
            stack.kinesis().deleteStream(b -> b.streamName(stream));
            CompletableFuture<WriteResult> future = writer.write(OutgoingRecord.of("k", new byte[] {1}).withId("orphan"));
            assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(RecordNotWrittenException.class, e -> {
                        assertThat(e.reason()).isEqualTo(RecordNotWrittenException.Reason.REJECTED);
                        assertThat(e.attempts()).isEqualTo(1);
                        assertThat(e.lastError()).startsWith("ResourceNotFoundException");
                        assertThat(e.getMessage()).contains("orphan");
                    });
        }
    }

    private static WriterSettings.Builder settings(String stream) {
        // Short backoffs keep the test quick; the contract is the same as with the defaults.
        return WriterSettings.forStream(stream).backoff(Duration.ofMillis(20), Duration.ofMillis(200)).linger(Duration.ofMillis(20));
    }

    /** True (and one failure used up) if the entry's record still has failures to suffer. */
    private static boolean consume(Map<String, Integer> failuresLeft, PutRecordsRequestEntry entry) {
        String data = entry.data().asUtf8String();
        boolean[] fail = {false};
        failuresLeft.computeIfPresent(data, (k, left) -> {
            fail[0] = true;
            return left == 1 ? null : left - 1;
        });
        return fail[0];
    }
}
