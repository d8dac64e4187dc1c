package io.streamwreck.producer;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class FailureClassifierTest {

    private static AwsServiceException service(int status, String code, String message) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    @Test
    void throttledAndFailedEntriesAreRetriedRefusedOnesAreNot() {
        assertThat(FailureClassifier.isRetryableEntryError("ProvisionedThroughputExceededException")).isTrue();
        assertThat(FailureClassifier.isRetryableEntryError("InternalFailure")).isTrue();
        assertThat(FailureClassifier.isRetryableEntryError("KMSThrottlingException")).isTrue();
        assertThat(FailureClassifier.isRetryableEntryError("SomethingNew")).as("unknown: keep trying until the deadline").isTrue();
        assertThat(FailureClassifier.isRetryableEntryError("InvalidArgumentException")).isFalse();
        assertThat(FailureClassifier.isRetryableEntryError("KMSAccessDeniedException")).isFalse();
    }

    @Test
    void timeOutsConnectionErrorsThrottlingAndServerErrorsAreRetried() {
        assertThat(FailureClassifier.isRetryableCallFailure(new CompletionException(ApiCallTimeoutException.create(500)))).isTrue();
        assertThat(FailureClassifier.isRetryableCallFailure(SdkClientException.create("Connection refused"))).isTrue();
        assertThat(FailureClassifier.isRetryableCallFailure(service(500, "InternalFailure", "boom"))).isTrue();
        assertThat(FailureClassifier.isRetryableCallFailure(service(400, "ProvisionedThroughputExceededException", "slow"))).isTrue();
        assertThat(FailureClassifier.isRetryableCallFailure(service(400, "LimitExceededException", "slow"))).isTrue();
        assertThat(FailureClassifier.isRetryableCallFailure(service(429, null, null))).isTrue();
    }

    @Test
    void answersNoRetryCanChangeAreNotRetried() {
        assertThat(FailureClassifier.isRetryableCallFailure(service(400, "ResourceNotFoundException", "no stream"))).isFalse();
        assertThat(FailureClassifier.isRetryableCallFailure(service(400, "AccessDeniedException", "no"))).isFalse();
        assertThat(FailureClassifier.isRetryableCallFailure(service(403, "UnrecognizedClientException", "bad key"))).isFalse();
        assertThat(FailureClassifier.isRetryableCallFailure(service(400, "ValidationException", "bad"))).isFalse();
    }

    @Test
    void onlyTimeOutsCountAsTimeOuts() {
        assertThat(FailureClassifier.isTimeout(new CompletionException(ApiCallTimeoutException.create(5)))).isTrue();
        assertThat(FailureClassifier.isTimeout(ApiCallAttemptTimeoutException.create(5))).isTrue();
        assertThat(FailureClassifier.isTimeout(SdkClientException.create("Connection refused"))).isFalse();
    }

    @Test
    void describeGivesTheErrorCodeAndMessage() {
        assertThat(FailureClassifier.describe(new CompletionException(service(400, "ResourceNotFoundException", "Stream x not found"))))
                .isEqualTo("ResourceNotFoundException: Stream x not found");
        assertThat(FailureClassifier.describe(SdkClientException.create("Unable to execute HTTP request: Connection refused")))
                .isEqualTo("Unable to execute HTTP request: Connection refused");
        assertThat(FailureClassifier.describe(new IllegalStateException("odd"))).isEqualTo("IllegalStateException: odd");
    }
}
