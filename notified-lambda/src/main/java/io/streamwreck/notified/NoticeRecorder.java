package io.streamwreck.notified;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import io.streamwreck.ledger.LedgerUnavailableException;
import io.streamwreck.ledger.RecordOutcome;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.core.notice.Notice;
import io.streamwreck.core.notice.NoticeCodec;
import io.streamwreck.core.notice.NoticeFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

/**
 * Records the notices of one SNS event in the ledger, with nothing lost (DESIGN.md "Notices"). Thread-safe.
 *
 * <ul>
 *   <li>A redelivered notice changes nothing: the ledger is idempotent per notice id.</li>
 *   <li>A malformed notice is logged at ERROR with its SNS message id and the reason and counted; once every
 *       valid notice of the event is recorded, {@link MalformedNoticesException} fails the invocation, so
 *       that the event reaches the function's dead-letter queue instead of vanishing.</li>
 *   <li>When Redis fails, {@link LedgerUnavailableException} propagates at once: the invocation fails and is
 *       retried, and the notices recorded before the failure are skipped as redeliveries on the retry.</li>
 * </ul>
 * The invocation's metrics are written whichever way it ends.
 */
public final class NoticeRecorder {

    private static final Logger log = LoggerFactory.getLogger(NoticeRecorder.class);

    private final NoticeCodec codec = new NoticeCodec();
    private final Supplier<RedisLedger> ledger;
    private final NoticeMetrics metrics;

    public NoticeRecorder(RedisLedger ledger, NoticeMetrics metrics) {
        this(() -> ledger, metrics);
    }

    /**
     * @param ledger the open ledger, or a connection to open now ({@link LedgerUnavailableException} when Redis
     *               cannot be reached fails the invocation like any other ledger failure)
     */
    NoticeRecorder(Supplier<RedisLedger> ledger, NoticeMetrics metrics) {
        this.ledger = ledger;
        this.metrics = metrics;
    }

    /**
     * @throws MalformedNoticesException after recording the others, when any notice is malformed
     * @throws LedgerUnavailableException when Redis fails
     */
    public InvocationSummary record(List<SNSEvent.SNSRecord> records) {
        Tally tally = new Tally();
        List<MalformedNotice> malformed = new ArrayList<>();
        try {
            for (SNSEvent.SNSRecord record : records == null ? List.<SNSEvent.SNSRecord>of() : records) {
                SNSEvent.SNS sns = record.getSNS();
                String messageId = sns == null || sns.getMessageId() == null ? "(none)" : sns.getMessageId();
                tally.notices++;
                Notice notice;
                try {
                    notice = decode(sns);
                } catch (NoticeFormatException e) {
                    malformed.add(new MalformedNotice(messageId, e.getMessage()));
                    log.error("malformed notice rejected; the invocation will fail so that it reaches the dead-letter queue",
                            entry("snsMessageId", messageId), entry("reason", e.getMessage()));
                    continue;
                }
                tally.add(notice, messageId, record(notice, messageId));
            }
        } finally {
            metrics.publish(tally.summary(malformed.size()));
        }
        InvocationSummary summary = tally.summary(malformed.size());
        if (!malformed.isEmpty()) {
            throw new MalformedNoticesException(malformed, summary);
        }
        // DEBUG: the invocation's EMF document already carries these counts, and CloudWatch bills every log line;
        // what an operator must see (malformed notices, an unreachable ledger, duplicates) is logged above it.
        log.debug("notices recorded", entry("notices", summary.notices()), entry("recorded", summary.recorded()),
                entry("redelivered", summary.redelivered()), entry("keysRecorded", summary.keysRecorded()),
                entry("duplicatesSeen", summary.duplicatesSeen()));
        return summary;
    }

    private RecordOutcome record(Notice notice, String messageId) {
        try {
            return ledger.get().record(notice);
        } catch (LedgerUnavailableException e) {
            log.error("ledger unavailable; failing the invocation so that it is retried",
                    entry("snsMessageId", messageId), entry("noticeId", notice.id()), entry("reason", e.getMessage()));
            throw e;
        }
    }

    private Notice decode(SNSEvent.SNS sns) {
        if (sns == null) {
            throw new NoticeFormatException("the SNS record has no Sns message");
        }
        return decode(sns.getMessage());
    }

    /** One notice's JSON, checked as {@link #record} checks it (also what {@link NotifiedPriming} runs). */
    Notice decode(String message) {
        Notice notice = codec.decode(message);
        try {
            // The ledger's scope rules (length, control characters) are part of what makes a notice well-formed.
            new Scope(notice.stream(), notice.app());
        } catch (IllegalArgumentException e) {
            throw new NoticeFormatException("field \"stream\" or \"app\": " + e.getMessage(), e);
        }
        return notice;
    }

    /** Counts of one invocation. */
    private static final class Tally {
        int notices;
        int recorded;
        int redelivered;
        long keys;
        long duplicates;

        void add(Notice notice, String messageId, RecordOutcome outcome) {
            if (!outcome.applied()) {
                redelivered++;
                log.info("notice already recorded (redelivery)", entry("snsMessageId", messageId), entry("noticeId", notice.id()));
                return;
            }
            recorded++;
            keys += outcome.keysRecorded();
            duplicates += outcome.duplicatesSeen();
            if (outcome.duplicatesSeen() > 0) {
                log.info("duplicates recorded", entry("noticeId", notice.id()), entry("stream", notice.stream()),
                        entry("app", notice.app()), entry("shardId", notice.shardId()),
                        entry("duplicatesSeen", outcome.duplicatesSeen()));
            }
        }

        InvocationSummary summary(int malformed) {
            return new InvocationSummary(notices, recorded, redelivered, malformed, keys, duplicates);
        }
    }
}
