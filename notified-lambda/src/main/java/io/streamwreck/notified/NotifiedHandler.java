package io.streamwreck.notified;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import io.streamwreck.ledger.LedgerClientStartup;
import io.streamwreck.ledger.LedgerUnavailableException;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.ReopenableLedger;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

/**
 * The notified Lambda: {@code io.streamwreck.notified.NotifiedHandler::handleRequest}, triggered by the
 * notices topic. Each SNS record carries one notice, which {@link NoticeRecorder} writes into the ledger.
 *
 * <p>The ledger connection and the metrics are built once, in the constructor (Lambda's init phase), and
 * reused by every invocation. The Redis connection is opened on a thread of its own while the main thread sets
 * up logging and metrics and decodes fixture notices ({@link NotifiedPriming}); the
 * constructor waits for it, so a Redis that cannot be reached still fails the init. An invocation fails — and
 * Lambda retries it, then dead-letters it — when Redis fails ({@link LedgerUnavailableException}) or when a
 * notice is malformed ({@link MalformedNoticesException}, thrown after the event's valid notices are recorded).
 *
 * <p>SnapStart: the handler is a CRaC {@link Resource}. Before the snapshot it primes the invocation's paths
 * again and closes the Redis connection (a connection restored from a snapshot would be stale); after a restore
 * it opens a new one — or, when Redis cannot be reached then, the first invocation tries again (and fails, to
 * be retried, if it still cannot).
 *
 * <p>Logs are JSON through Powertools (with the Lambda context's fields), without AspectJ.
 */
public final class NotifiedHandler implements RequestHandler<SNSEvent, InvocationSummary>, AutoCloseable, Resource {

    private final NoticeRecorder recorder;
    private final NoticeMetrics metrics;
    private final ReopenableLedger ledger;

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
     * @throws LedgerUnavailableException when Redis cannot be reached
     */
    public NotifiedHandler(Map<String, String> environment) {
        this(settings(environment));
    }

    private NotifiedHandler(NotifiedSettings settings) {
        // Each invocation may try to connect again at once (Duration.ZERO): they come one at a time, and a failed one is retried.
        this.ledger = ReopenableLedger.openInBackground(
                () -> RedisLedger.connect(settings.redisUrl(), settings.redisCluster(), settings.ledgerTtl()), Duration.ZERO);
        try {
            // Metrics first: choosing the EMF output must happen before anything starts Powertools' metrics.
            this.metrics = NoticeMetrics.create(settings);
            this.recorder = new NoticeRecorder(ledger::get, metrics);
            NotifiedPriming.decoding(recorder);
            RedisLedger open = ledger.get();
            log().info("notified-lambda ready", entry("ledger", open.where()), entry("ledgerTtl", settings.ledgerTtl().toString()),
                    entry("metricsNamespace", settings.metricsNamespace()));
        } catch (RuntimeException | Error e) {
            ledger.close();
            throw e;
        }
        Core.getGlobalContext().register(this);
    }

    /** For tests: a ledger and metrics the caller built (and closes). */
    public NotifiedHandler(RedisLedger ledger, NoticeMetrics metrics) {
        this.ledger = ReopenableLedger.of(ledger);
        this.metrics = metrics;
        this.recorder = new NoticeRecorder(this.ledger::get, metrics);
    }

    private static NotifiedSettings settings(Map<String, String> environment) {
        NotifiedSettings settings = NotifiedSettings.from(environment);
        LedgerClientStartup.apply();
        DeferredNettyLogging.install();
        return settings;
    }

    private static Logger log() {
        return LoggerFactory.getLogger(NotifiedHandler.class);
    }

    @Override
    public InvocationSummary handleRequest(SNSEvent event, Context context) {
        List<SNSEvent.SNSRecord> records = event == null ? List.of() : event.getRecords();
        return PowertoolsLogging.withLogging(context, () -> recorder.record(records));
    }

    /**
     * SnapStart, before the snapshot: runs the invocation's paths on fixtures once more (nothing is recorded or
     * written) and closes the Redis connection.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        NotifiedPriming.everything(recorder, metrics);
        ledger.disconnect();
    }

    /**
     * SnapStart, after a restore: opens a new Redis connection. When Redis cannot be reached now, the first
     * invocation tries again and fails (to be retried) if it still cannot.
     */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        try {
            ledger.get();
        } catch (LedgerUnavailableException e) {
            log().warn("ledger unreachable after the restore; the next invocation connects", entry("reason", e.getMessage()));
        }
    }

    /** Whether this handler holds an open Redis connection (tests of the SnapStart hooks). */
    boolean connected() {
        return ledger.isOpen();
    }

    /** Closes the ledger connection this handler opened. Lambda never calls it; the local runtime and tests do. */
    @Override
    public void close() {
        ledger.close();
    }
}
