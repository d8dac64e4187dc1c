package io.streamwreck.notified;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import io.streamwreck.ledger.RedisLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

import java.util.List;
import java.util.Map;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

/**
 * The notified Lambda: {@code io.streamwreck.notified.NotifiedHandler::handleRequest}, triggered by the
 * notices topic. Each SNS record carries one notice, which {@link NoticeRecorder} writes into the ledger.
 *
 * <p>The ledger connection and the metrics are built once, in the constructor (Lambda's init phase), and
 * reused by every invocation. An invocation fails — and Lambda retries it, then dead-letters it — when Redis
 * fails ({@link io.streamwreck.ledger.LedgerUnavailableException}) or when a notice is malformed
 * ({@link MalformedNoticesException}, thrown after the event's valid notices are recorded).
 *
 * <p>Logs are JSON through Powertools (with the Lambda context's fields), without AspectJ.
 */
public final class NotifiedHandler implements RequestHandler<SNSEvent, InvocationSummary>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NotifiedHandler.class);

    private final NoticeRecorder recorder;
    private final RedisLedger ownLedger;

    /** What Lambda calls: the settings come from the function's environment variables. */
    public NotifiedHandler() {
        this(System.getenv());
    }

    /**
     * Builds the function from these environment variables ({@code REDIS_URL}, {@code REDIS_CLUSTER},
     * {@code LEDGER_TTL}, {@code POWERTOOLS_METRICS_NAMESPACE}, {@code POWERTOOLS_SERVICE_NAME}); the local
     * runtime uses it, as an in-process function cannot be given its own environment.
     *
     * @throws io.streamwreck.core.config.ConfigException naming a missing or malformed variable
     * @throws io.streamwreck.ledger.LedgerUnavailableException when Redis cannot be reached
     */
    public NotifiedHandler(Map<String, String> environment) {
        this(NotifiedSettings.from(environment));
    }

    private NotifiedHandler(NotifiedSettings settings) {
        // Metrics first: choosing the EMF output must happen before anything starts Powertools' metrics.
        this(NoticeMetrics.create(settings), RedisLedger.connect(settings.redisUrl(), settings.redisCluster(), settings.ledgerTtl()), true);
        log.info("notified-lambda ready", entry("ledger", ownLedger.where()), entry("ledgerTtl", settings.ledgerTtl().toString()),
                entry("metricsNamespace", settings.metricsNamespace()));
    }

    /** For tests: a ledger and metrics the caller built (and closes). */
    public NotifiedHandler(RedisLedger ledger, NoticeMetrics metrics) {
        this(metrics, ledger, false);
    }

    private NotifiedHandler(NoticeMetrics metrics, RedisLedger ledger, boolean owned) {
        this.recorder = new NoticeRecorder(ledger, metrics);
        this.ownLedger = owned ? ledger : null;
    }

    @Override
    public InvocationSummary handleRequest(SNSEvent event, Context context) {
        List<SNSEvent.SNSRecord> records = event == null ? List.of() : event.getRecords();
        return PowertoolsLogging.withLogging(context, () -> recorder.record(records));
    }

    /** Closes the ledger connection this handler opened. Lambda never calls it; the local runtime and tests do. */
    @Override
    public void close() {
        if (ownLedger != null) {
            ownLedger.close();
        }
    }
}
