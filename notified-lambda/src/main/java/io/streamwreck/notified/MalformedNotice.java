package io.streamwreck.notified;

/** A notice that could not be decoded: the SNS message that carried it and why it was rejected. */
public record MalformedNotice(String snsMessageId, String reason) {

    @Override
    public String toString() {
        return "SNS message " + snsMessageId + ": " + reason;
    }
}
