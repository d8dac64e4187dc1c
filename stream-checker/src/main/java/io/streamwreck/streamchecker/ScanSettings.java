package io.streamwreck.streamchecker;

import java.time.Duration;

/**
 * What one scan does, checked by the command line.
 *
 * @param application     the consumer application, or null to let the checker use its default (only with --endpoint)
 * @param batchSize       keys per checker request (per {@link KeyClassifier#classify} call)
 * @param parallelShards  how many shards are read at once
 */
record ScanSettings(String stream, String application, StartPosition from, Duration settle, int batchSize,
                    int parallelShards) {

    /** The checker takes at most 50,000 keys per request; 10,000 keeps every answer far inside Lambda's 6 MiB. */
    static final int DEFAULT_BATCH = 10_000;
    static final int MAX_BATCH = 50_000;
    /** Checking threads; with several batches each in flight, the checker is never waiting on the scan or vice versa. */
    static final int CHECK_THREADS = 4;
    static final int BATCHES_IN_FLIGHT = 8;
}
