package io.streamwreck.producer;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Test fault injection for what kinesis-local cannot produce: it never throttles (kinesis-mock 0.6.2 enforces
 * no per-shard write limit, so PutRecords never answers ProvisionedThroughputExceededException for an entry).
 *
 * <p>The entries {@code shouldFail} picks are taken out of the request before it is sent, and put back into the
 * response as {@code ProvisionedThroughputExceededException} results at their positions. So the stream holds
 * exactly what a real partially throttled call leaves behind: the other entries, and not these. When every
 * entry of a call is picked, one {@linkplain #FILLER_KEY filler} entry is sent instead (PutRecords needs one);
 * tests leave filler records out when they read the stream.
 */
final class PartialFailureInjector implements ExecutionInterceptor {

    /** The partition key of the filler entry sent when a call's every entry is failed. */
    static final String FILLER_KEY = "injector-filler";

    private static final ExecutionAttribute<TreeSet<Integer>> FAILED = new ExecutionAttribute<>("streamwreck.injected");
    private static final ExecutionAttribute<Boolean> FILLER = new ExecutionAttribute<>("streamwreck.filler");

    private final Predicate<PutRecordsRequestEntry> shouldFail;
    private final AtomicInteger injected = new AtomicInteger();

    PartialFailureInjector(Predicate<PutRecordsRequestEntry> shouldFail) {
        this.shouldFail = shouldFail;
    }

    /** Entries failed so far. */
    int injected() {
        return injected.get();
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (!(context.request() instanceof PutRecordsRequest request)) {
            return context.request();
        }
        TreeSet<Integer> failed = new TreeSet<>();
        List<PutRecordsRequestEntry> kept = new ArrayList<>();
        for (int i = 0; i < request.records().size(); i++) {
            PutRecordsRequestEntry entry = request.records().get(i);
            if (shouldFail.test(entry)) {
                failed.add(i);
            } else {
                kept.add(entry);
            }
        }
        if (kept.isEmpty()) {
            kept.add(PutRecordsRequestEntry.builder().partitionKey(FILLER_KEY).data(SdkBytes.fromUtf8String(FILLER_KEY)).build());
            attributes.putAttribute(FILLER, true);
        }
        injected.addAndGet(failed.size());
        attributes.putAttribute(FAILED, failed);
        return request.toBuilder().records(kept).build();
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        TreeSet<Integer> failed = attributes.getAttribute(FAILED);
        if (!(context.response() instanceof PutRecordsResponse response) || failed == null || failed.isEmpty()) {
            return context.response();
        }
        List<PutRecordsResultEntry> results = new ArrayList<>();
        boolean filler = Boolean.TRUE.equals(attributes.getAttribute(FILLER));
        int real = 0;
        int total = filler ? failed.size() : response.records().size() + failed.size();
        for (int i = 0; i < total; i++) {
            results.add(failed.contains(i)
                    ? PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException")
                        .errorMessage("Rate exceeded for shard (injected by the test)").build()
                    : response.records().get(real++));
        }
        return response.toBuilder().records(results)
                .failedRecordCount((int) results.stream().filter(r -> r.errorCode() != null).count()).build();
    }
}
