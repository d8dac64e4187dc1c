package io.streamwreck.publish;

/**
 * @param calls          PublishBatch calls made, failed ones included (SNS bills requests)
 * @param notices        notices published
 * @param keys           processed keys those notices carried
 * @param failedAttempts calls that failed as a whole plus entries SNS refused, each retried
 */
public record PublisherStats(long calls, long notices, long keys, long failedAttempts) {
}
