package io.streamwreck.producer;

/**
 * A record Kinesis would refuse: too large, a missing or too long partition key, a malformed explicit hash
 * key, or an id the written log cannot hold. Thrown when the record is built, before anything is sent.
 */
public final class InvalidRecordException extends IllegalArgumentException {

    InvalidRecordException(String message) {
        super(message);
    }
}
