package io.streamwreck.producer;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Decides which failures are worth another attempt. Throttling, internal failures, time-outs and lost
 * connections pass; an answer that no retry can change (no such stream, access denied, a record the stream
 * refuses) fails the record at once, so that a misconfiguration is reported in seconds, not at the deadline.
 */
final class FailureClassifier {

    /** PutRecords entry error codes that mean "this record will never be accepted". */
    private static final Set<String> PERMANENT_ENTRY_ERRORS = Set.of("InvalidArgumentException", "AccessDeniedException",
            "ResourceNotFoundException", "KMSDisabledException", "KMSInvalidStateException", "KMSAccessDeniedException",
            "KMSNotFoundException", "KMSOptInRequired");

    /** Client-side (4xx) error codes of a whole call that are still transient. */
    private static final Set<String> TRANSIENT_CALL_ERRORS = Set.of("ProvisionedThroughputExceededException",
            "LimitExceededException", "ThrottlingException", "Throttling", "KMSThrottlingException",
            "ResourceInUseException", "ExpiredTokenException", "RequestExpired", "RequestTimeout",
            "RequestTimeoutException", "TooManyRequestsException");

    private FailureClassifier() {
    }

    static boolean isRetryableEntryError(String errorCode) {
        return !PERMANENT_ENTRY_ERRORS.contains(errorCode);
    }

    static boolean isRetryableCallFailure(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof AwsServiceException service) {
            int status = service.statusCode();
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            boolean clientError = status >= 400 && status < 500 && status != 429;
            return !clientError || (code != null && TRANSIENT_CALL_ERRORS.contains(code));
        }
        // Connection errors, time-outs (ApiCallTimeoutException, ApiCallAttemptTimeoutException) and anything unknown.
        return true;
    }

    /** Whether the call ran out of its time-out (as opposed to failing). */
    static boolean isTimeout(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException;
    }

    /** One line saying what went wrong, for {@link RecordNotWrittenException#lastError()}. */
    static String describe(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String code = service.awsErrorDetails().errorCode();
            String message = service.awsErrorDetails().errorMessage();
            return (code == null ? "HTTP " + service.statusCode() : code) + (message == null ? "" : ": " + message);
        }
        if (t instanceof SdkException && t.getMessage() != null) {
            return t.getMessage();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
