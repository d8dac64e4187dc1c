package io.streamwreck.processor;

import io.streamwreck.processor.handler.CountingRecordHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.kinesis.metrics.MetricsLevel;

import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A worker that cannot start leaves nothing behind: no AWS client, no open file. */
class ProcessorAppTest {

    @TempDir
    Path dir;

    @Test
    void anAuditLogThatCannotBeOpenedFailsBeforeAnyAwsClientIsBuilt() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        AtomicInteger built = new AtomicInteger();

        assertThatThrownBy(() -> new ProcessorApp(settings(Optional.of(notADirectory.resolve("audit.jsonl"))),
                new CountingRecordHandler(), s -> {
                    built.incrementAndGet();
                    return ProcessorApp.AwsClients.create(s);
                }))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot open the audit log");
        assertThat(built).hasValue(0);
    }

    @Test
    void aFailureAfterTheClientsWereBuiltClosesThemAgain() {
        List<String> closed = new ArrayList<>();
        KinesisAsyncClient kinesis = closeRecorder(KinesisAsyncClient.class, "kinesis", closed);
        DynamoDbAsyncClient dynamo = closeRecorder(DynamoDbAsyncClient.class, "dynamodb", closed);
        SnsAsyncClient sns = closeRecorder(SnsAsyncClient.class, "sns", closed);

        // KCL's ConfigsBuilder refuses a null CloudWatch client: the scheduler cannot be built.
        assertThatThrownBy(() -> new ProcessorApp(settings(Optional.of(dir.resolve("audit.jsonl"))), new CountingRecordHandler(),
                s -> new ProcessorApp.AwsClients(kinesis, dynamo, null, sns)))
                .isInstanceOf(NullPointerException.class);
        assertThat(closed).containsExactlyInAnyOrder("kinesis", "dynamodb", "sns");
    }

    @SuppressWarnings("unchecked")
    private static <T> T closeRecorder(Class<T> type, String name, List<String> closed) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "close" -> closed.add(name);
                case "serviceName" -> {
                    return name;
                }
                case "toString" -> {
                    return name + " (test double)";
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                default -> throw new UnsupportedOperationException(method.getName());
            }
            return null;
        });
    }

    private static ProcessorSettings settings(Optional<Path> auditLog) {
        URI nowhere = URI.create("http://127.0.0.1:9");
        return new ProcessorSettings("orders", "billing", "arn:aws:sns:us-east-1:123456789012:notices", Optional.of("us-east-1"),
                Optional.of(nowhere), Optional.of(nowhere), Optional.of(nowhere), Optional.of(nowhere), InitialPosition.TRIM_HORIZON,
                Duration.ofSeconds(10), ProcessorSettings.Retrieval.POLLING, Duration.ofSeconds(1), 10_000, Duration.ofSeconds(60),
                MetricsLevel.NONE, "w-1", auditLog, Duration.ofMillis(500), 4, Duration.ZERO, Duration.ofSeconds(30), false);
    }
}
