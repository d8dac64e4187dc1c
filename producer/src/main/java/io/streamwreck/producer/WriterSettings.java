package io.streamwreck.producer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link KinesisWriter} behaves. Immutable; build with {@link #forStream(String)}. Every setting has a
 * default fit for a real stream; see each builder method.
 */
public final class WriterSettings {

    private final String streamName;
    private final Duration deadline;
    private final double recordsPerSecondPerShard;
    private final double bytesPerSecondPerShard;
    private final int maxCallsInFlight;
    private final int maxBufferedRecords;
    private final long maxBufferedBytes;
    private final Duration linger;
    private final Duration callTimeout;
    private final Duration backoffBase;
    private final Duration backoffCap;
    private final Path writtenLog;

    private WriterSettings(Builder b) {
        this.streamName = b.streamName;
        this.deadline = b.deadline;
        this.recordsPerSecondPerShard = b.recordsPerSecondPerShard;
        this.bytesPerSecondPerShard = b.bytesPerSecondPerShard;
        this.maxCallsInFlight = b.maxCallsInFlight;
        this.maxBufferedRecords = b.maxBufferedRecords;
        this.maxBufferedBytes = b.maxBufferedBytes;
        this.linger = b.linger;
        this.callTimeout = b.callTimeout;
        this.backoffBase = b.backoffBase;
        this.backoffCap = b.backoffCap;
        this.writtenLog = b.writtenLog;
    }

    public static Builder forStream(String streamName) {
        return new Builder(streamName);
    }

    public String streamName() {
        return streamName;
    }

    public Duration deadline() {
        return deadline;
    }

    public double recordsPerSecondPerShard() {
        return recordsPerSecondPerShard;
    }

    public double bytesPerSecondPerShard() {
        return bytesPerSecondPerShard;
    }

    public int maxCallsInFlight() {
        return maxCallsInFlight;
    }

    public int maxBufferedRecords() {
        return maxBufferedRecords;
    }

    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    public Duration linger() {
        return linger;
    }

    public Duration callTimeout() {
        return callTimeout;
    }

    public Duration backoffBase() {
        return backoffBase;
    }

    public Duration backoffCap() {
        return backoffCap;
    }

    public Optional<Path> writtenLog() {
        return Optional.ofNullable(writtenLog);
    }

    @Override
    public String toString() {
        return "WriterSettings{stream=" + streamName + ", deadline=" + deadline + ", recordsPerSecondPerShard="
                + recordsPerSecondPerShard + ", bytesPerSecondPerShard=" + bytesPerSecondPerShard + ", maxCallsInFlight="
                + maxCallsInFlight + ", maxBufferedRecords=" + maxBufferedRecords + ", maxBufferedBytes=" + maxBufferedBytes
                + ", linger=" + linger + ", callTimeout=" + callTimeout + ", backoff=" + backoffBase + ".." + backoffCap
                + ", writtenLog=" + writtenLog + "}";
    }

    /** Builds {@link WriterSettings}; {@link #build()} checks every value and names the one that is wrong. */
    public static final class Builder {
        private final String streamName;
        private Duration deadline = Duration.ofSeconds(30);
        private double recordsPerSecondPerShard = KinesisLimits.RECORDS_PER_SECOND_PER_SHARD;
        private double bytesPerSecondPerShard = KinesisLimits.BYTES_PER_SECOND_PER_SHARD;
        private int maxCallsInFlight = 8;
        private int maxBufferedRecords = 10_000;
        private long maxBufferedBytes = 64L * 1024 * 1024;
        private Duration linger = Duration.ofMillis(50);
        private Duration callTimeout = Duration.ofSeconds(10);
        private Duration backoffBase = Duration.ofMillis(100);
        private Duration backoffCap = Duration.ofSeconds(5);
        private Path writtenLog;

        private Builder(String streamName) {
            this.streamName = streamName;
        }

        /**
         * How long after {@link KinesisWriter#write} a record may take to be written before its future fails
         * (default 30 s). A record fails as soon as too little time is left for another attempt to be useful:
         * 50 ms, or a quarter of the deadline if that is shorter.
         */
        public Builder deadline(Duration value) {
            this.deadline = value;
            return this;
        }

        /**
         * Records per second the writer sends to one shard (default 1000, Kinesis's limit). The guarantee: no shard
         * gets more than this in any one-second window (for rates of 10 and up). To hold it for every window, a
         * tenth of a second's worth may go in a burst and the rest flows at nine tenths of the rate, so a shard
         * that is always busy gets 90 % of this over the long run. The same holds for
         * {@link #bytesPerSecondPerShard(double) bytes}, except that one record larger than the burst may pass.
         */
        public Builder recordsPerSecondPerShard(double value) {
            this.recordsPerSecondPerShard = value;
            return this;
        }

        /** Bytes (data + partition keys) per second the writer sends to one shard (default 1 MiB, Kinesis's limit). */
        public Builder bytesPerSecondPerShard(double value) {
            this.bytesPerSecondPerShard = value;
            return this;
        }

        /** PutRecords calls in flight at once (default 8). Give the HTTP client at least as many connections. */
        public Builder maxCallsInFlight(int value) {
            this.maxCallsInFlight = value;
            return this;
        }

        /**
         * Records accepted but not yet finished (written or failed) at once; {@link KinesisWriter#write} blocks
         * beyond this (default 10 000).
         */
        public Builder maxBufferedRecords(int value) {
            this.maxBufferedRecords = value;
            return this;
        }

        /** Bytes accepted but not yet finished at once; at least 1 MiB, one maximal record (default 64 MiB). */
        public Builder maxBufferedBytes(long value) {
            this.maxBufferedBytes = value;
            return this;
        }

        /**
         * How long a record may wait for others to fill its PutRecords call (default 50 ms). A full call (500
         * records or 5 MiB) goes at once; {@link KinesisWriter#flush()} and close send partial calls at once.
         */
        public Builder linger(Duration value) {
            this.linger = value;
            return this;
        }

        /** Longest time one PutRecords call may take before it counts as failed and its entries are retried (default 10 s). */
        public Builder callTimeout(Duration value) {
            this.callTimeout = value;
            return this;
        }

        /** Backoff before retry n: random in [0, min(cap, base × 2^(n-1))] (defaults 100 ms and 5 s). */
        public Builder backoff(Duration base, Duration cap) {
            this.backoffBase = base;
            this.backoffCap = cap;
            return this;
        }

        /** Appends one line per written record to this file (see {@link WrittenLog}); off by default. */
        public Builder writtenLog(Path file) {
            this.writtenLog = file;
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is out of range */
        public WriterSettings build() {
            if (streamName == null || streamName.isBlank()) {
                throw new IllegalArgumentException("a stream name is required");
            }
            positive("deadline", deadline);
            if (linger == null || linger.isNegative()) {
                throw new IllegalArgumentException("linger must be zero or positive, was " + linger);
            }
            positive("callTimeout", callTimeout);
            positive("backoff base", backoffBase);
            Objects.requireNonNull(backoffCap, "backoff cap");
            if (backoffCap.compareTo(backoffBase) < 0) {
                throw new IllegalArgumentException("backoff cap " + backoffCap + " is below the base " + backoffBase);
            }
            if (!(recordsPerSecondPerShard > 0) || Double.isInfinite(recordsPerSecondPerShard)) {
                throw new IllegalArgumentException("records per second per shard must be positive, was " + recordsPerSecondPerShard);
            }
            if (!(bytesPerSecondPerShard > 0) || Double.isInfinite(bytesPerSecondPerShard)) {
                throw new IllegalArgumentException("bytes per second per shard must be positive, was " + bytesPerSecondPerShard);
            }
            if (maxCallsInFlight < 1) {
                throw new IllegalArgumentException("calls in flight must be at least 1, was " + maxCallsInFlight);
            }
            if (maxBufferedRecords < 1) {
                throw new IllegalArgumentException("buffered records must be at least 1, was " + maxBufferedRecords);
            }
            if (maxBufferedBytes < KinesisLimits.MAX_RECORD_BYTES) {
                throw new IllegalArgumentException("buffered bytes must be at least " + KinesisLimits.MAX_RECORD_BYTES
                        + " (one maximal record), was " + maxBufferedBytes);
            }
            return new WriterSettings(this);
        }

        private static void positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
        }
    }
}
