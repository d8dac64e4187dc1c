package io.streamwreck.producer;

/**
 * Counters of a {@link KinesisWriter} since it started, read at one moment.
 *
 * @param accepted      records {@link KinesisWriter#write} accepted
 * @param written       records whose future completed with a {@link WriteResult}
 * @param failed        records whose future failed with a {@link RecordNotWrittenException}
 * @param retried       entries sent again after a failed attempt (a record retried twice counts twice)
 * @param calls         PutRecords calls sent
 * @param failedEntries entries a PutRecords response reported as failed (throttled, internal failure, …)
 * @param failedCalls   PutRecords calls that failed as a whole (time-out, connection, service error)
 * @param buffered      records accepted and not finished yet
 */
public record WriterStats(long accepted, long written, long failed, long retried, long calls, long failedEntries,
                          long failedCalls, long buffered) {
}
