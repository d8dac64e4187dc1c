package io.streamwreck.notified;

/**
 * What one invocation did with the notices of its SNS event.
 *
 * @param notices        SNS records received (one notice each)
 * @param recorded       notices that changed the ledger
 * @param redelivered    notices the ledger had already recorded (SNS redelivery, Lambda retry): nothing changed
 * @param malformed      notices that could not be decoded; they fail the invocation
 * @param keysRecorded   processed keys counted by the recorded notices
 * @param duplicatesSeen of those, keys now counted two or more times (drift)
 */
public record InvocationSummary(int notices, int recorded, int redelivered, int malformed, long keysRecorded, long duplicatesSeen) {
}
