package io.streamwreck.local.lambda;

import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.util.Map;
import java.util.Objects;

/**
 * The message Lambda puts on a function's dead-letter queue after an asynchronous invocation failed for good:
 * the event as the function received it, with the attributes {@code RequestID}, {@code ErrorCode} (the
 * invoke's HTTP status: 200 for a function error) and {@code ErrorMessage} (its first 1 KiB); the local runtime
 * adds {@code ErrorType}, the exception class, so a failure can be told apart without parsing its message.
 */
final class SnsDeadLetter {

    /** Lambda keeps the first 1 KiB of the error message. */
    static final int ERROR_MESSAGE_LIMIT = 1024;

    private SnsDeadLetter() {
    }

    static SendMessageRequest of(String queueUrl, String event, String requestId, Throwable error) {
        return SendMessageRequest.builder().queueUrl(queueUrl).messageBody(event).messageAttributes(Map.of(
                "RequestID", string(requestId),
                "ErrorCode", MessageAttributeValue.builder().dataType("Number").stringValue("200").build(),
                "ErrorMessage", string(errorMessage(error)),
                "ErrorType", string(error.getClass().getName()))).build();
    }

    /** The error's message cut to Lambda's limit (the class name when it has none: SQS refuses empty values). */
    static String errorMessage(Throwable error) {
        String message = Objects.requireNonNullElse(error.getMessage(), error.getClass().getName());
        return message.length() > ERROR_MESSAGE_LIMIT ? message.substring(0, ERROR_MESSAGE_LIMIT) : message;
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
