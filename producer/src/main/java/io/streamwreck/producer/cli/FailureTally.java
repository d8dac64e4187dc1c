package io.streamwreck.producer.cli;

import io.streamwreck.producer.RecordNotWrittenException;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Groups failed records by why they failed, so that a run with thousands of failures reports a few lines: the
 * reason, how many records, and one example message. Numbers in the cause (a time-out's milliseconds, a shard
 * id) do not split a group.
 */
final class FailureTally {

    private record Group(AtomicLong count, String example) {
    }

    private final Map<String, Group> groups = new ConcurrentHashMap<>();

    void add(Throwable failure) {
        String cause;
        String example;
        if (failure instanceof RecordNotWrittenException e) {
            cause = e.reason() + (e.lastError() == null ? "" : " / " + e.lastError());
            example = e.getMessage();
        } else {
            cause = failure.toString();
            example = failure.toString();
        }
        groups.computeIfAbsent(cause.replaceAll("[0-9]+", "#"), c -> new Group(new AtomicLong(), example)).count().incrementAndGet();
    }

    /** One line per cause, most frequent first, at most {@code limit} causes. */
    void print(PrintWriter err, int limit) {
        groups.values().stream()
                .sorted(Comparator.comparingLong((Group g) -> g.count().get()).reversed())
                .limit(limit)
                .forEach(g -> err.println("failed: " + g.count().get() + " record(s) like this one: " + g.example()));
        if (groups.size() > limit) {
            err.println("failed: … and " + (groups.size() - limit) + " other cause(s)");
        }
    }
}
