package io.streamwreck.processor;

import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Locale;

/**
 * Where a new application starts reading: {@code trim-horizon}, {@code latest} or {@code at-timestamp=ISO-8601}.
 * KCL uses it only for shards with no lease yet; once the lease table has a checkpoint, the checkpoint wins.
 */
public record InitialPosition(InitialPositionInStream kind, Instant timestamp) {

    public static final InitialPosition TRIM_HORIZON = new InitialPosition(InitialPositionInStream.TRIM_HORIZON, null);
    public static final InitialPosition LATEST = new InitialPosition(InitialPositionInStream.LATEST, null);

    /** @throws IllegalArgumentException with a message fit for the user */
    public static InitialPosition parse(String text) {
        String t = text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.equals("trim-horizon") || lower.equals("trim_horizon")) {
            return TRIM_HORIZON;
        }
        if (lower.equals("latest")) {
            return LATEST;
        }
        if (lower.startsWith("at-timestamp=")) {
            String when = t.substring("at-timestamp=".length());
            try {
                return new InitialPosition(InitialPositionInStream.AT_TIMESTAMP, Instant.parse(when));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("at-timestamp needs an ISO-8601 instant such as 2026-11-22T10:00:00Z, got '" + when + "'");
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not trim-horizon, latest or at-timestamp=<ISO-8601 instant>");
    }

    public InitialPositionInStreamExtended toKcl() {
        return kind == InitialPositionInStream.AT_TIMESTAMP
                ? InitialPositionInStreamExtended.newInitialPositionAtTimestamp(Date.from(timestamp))
                : InitialPositionInStreamExtended.newInitialPosition(kind);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case TRIM_HORIZON -> "trim-horizon";
            case LATEST -> "latest";
            case AT_TIMESTAMP -> "at-timestamp=" + timestamp;
        };
    }
}
