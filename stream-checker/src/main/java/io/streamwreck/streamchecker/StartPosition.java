package io.streamwreck.streamchecker;

import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Where each shard's scan begins ({@code --from}): the oldest record Kinesis still keeps, or the first record
 * that arrived at or after a moment.
 *
 * @param timestamp the moment, for {@link ShardIteratorType#AT_TIMESTAMP}; null for TRIM_HORIZON
 */
record StartPosition(ShardIteratorType type, Instant timestamp) {

    static final StartPosition TRIM_HORIZON = new StartPosition(ShardIteratorType.TRIM_HORIZON, null);
    private static final String AT_TIMESTAMP_PREFIX = "at-timestamp=";

    /**
     * Reads {@code trim-horizon} or {@code at-timestamp=<ISO-8601 instant>}.
     *
     * @throws IllegalArgumentException saying which forms are accepted
     */
    static StartPosition parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equalsIgnoreCase("trim-horizon")) {
            return TRIM_HORIZON;
        }
        if (t.toLowerCase(Locale.ROOT).startsWith(AT_TIMESTAMP_PREFIX)) {
            String when = t.substring(AT_TIMESTAMP_PREFIX.length());
            try {
                return new StartPosition(ShardIteratorType.AT_TIMESTAMP, Instant.parse(when));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("\"" + when + "\" is not an ISO-8601 instant such as 2026-11-21T00:00:00Z");
            }
        }
        throw new IllegalArgumentException("\"" + t + "\" is not a start position; use trim-horizon or at-timestamp=2026-11-21T00:00:00Z");
    }

    void applyTo(GetShardIteratorRequest.Builder request) {
        request.shardIteratorType(type);
        if (timestamp != null) {
            request.timestamp(timestamp);
        }
    }

    @Override
    public String toString() {
        return timestamp == null ? "trim-horizon" : AT_TIMESTAMP_PREFIX + timestamp;
    }
}
