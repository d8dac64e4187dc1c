package io.streamwreck.notified;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown after the valid notices of an event were recorded, when some of its notices are malformed: the
 * invocation fails, so that the event ends in the function's on-failure destination or dead-letter queue
 * with this message, which names each SNS message id and the reason.
 */
public class MalformedNoticesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<MalformedNotice> malformed;

    public MalformedNoticesException(List<MalformedNotice> malformed, InvocationSummary summary) {
        super(malformed.size() + " of " + summary.notices() + " notices malformed (the other "
                + (summary.notices() - malformed.size()) + " were recorded): "
                + malformed.stream().map(MalformedNotice::toString).collect(Collectors.joining("; ")));
        this.malformed = List.copyOf(malformed);
    }

    public List<MalformedNotice> malformed() {
        return malformed;
    }
}
