package io.streamwreck.producer;

import io.streamwreck.local.standin.AwsClients;
import io.streamwreck.local.standin.LocalStack;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Test support: writer clients for the local stack's kinesis-local, and fresh stream names. */
final class LocalKinesis {

    private static final AtomicInteger streams = new AtomicInteger();

    private LocalKinesis() {
    }

    /** An async client as the writer would use it, with optional test interceptors. */
    static WriterClient client(LocalStack stack, ExecutionInterceptor... interceptors) {
        return client(stack.endpoints().kinesis(), interceptors);
    }

    /** An async client for kinesis-local behind {@code endpoint} (a proxy in front of it). */
    static WriterClient client(URI endpoint, ExecutionInterceptor... interceptors) {
        return WriterClient.create(Optional.of(endpoint), Optional.of(AwsClients.REGION.id()), 16,
                b -> {
                    // Placeholders the stand-in accepts, not credentials.
                    b.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
                    b.overrideConfiguration(o -> {
                        for (ExecutionInterceptor i : interceptors) {
                            o.addExecutionInterceptor(i);
                        }
                    });
                });
    }

    /** Creates a stream with a name no other test uses. */
    static String newStream(LocalStack stack, String purpose, int shards) {
        String name = "producer-" + purpose + "-" + ProcessHandle.current().pid() + "-" + streams.incrementAndGet();
        stack.createStream(name, shards);
        return name;
    }
}
