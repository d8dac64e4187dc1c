package io.streamwreck.checker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.config.ConfigException;
import io.streamwreck.core.config.StreamwreckConfig;
import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.KeyStatus;
import io.streamwreck.ledger.LedgerUnavailableException;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checker's logic, independent of HTTP: classifies the keys of a {@link ReconcileRequest} against the
 * ledger, resolving the seed's bare sequence numbers across the scope's shards. Thread-safe.
 */
public final class CheckerService implements AutoCloseable {

    /**
     * How long a Redis command may take before the answer is 503: a healthy ledger answers a 10,000-key
     * lookup in milliseconds, and a caller waiting out API Gateway's 29 s for a hung cache learns nothing.
     */
    static final java.time.Duration LEDGER_TIMEOUT = java.time.Duration.ofSeconds(3);

    private final LazyLedger ledger;
    private final String defaultStream;
    private final String defaultApplication;
    private final boolean ownsLedger;

    /**
     * Over a ledger the caller keeps (and closes).
     *
     * @param defaultStream      the scope for requests that name none (STREAM_NAME), or null
     * @param defaultApplication the scope for requests that name none (APP_NAME), or null
     */
    public CheckerService(RedisLedger ledger, String defaultStream, String defaultApplication) {
        this(LazyLedger.of(ledger), defaultStream, defaultApplication, false);
    }

    private CheckerService(LazyLedger ledger, String defaultStream, String defaultApplication, boolean ownsLedger) {
        this.ledger = ledger;
        this.defaultStream = defaultStream;
        this.defaultApplication = defaultApplication;
        this.ownsLedger = ownsLedger;
    }

    /**
     * Connects to the ledger named by the configuration (REDIS_URL, REDIS_CLUSTER, LEDGER_TTL) — starting now,
     * on a thread of its own (the first request that needs the ledger waits for it), or when Redis cannot be
     * reached now, on the first request that needs it (see {@link LazyLedger}); the default
     * scope is STREAM_NAME and APP_NAME, when set. {@link #close()} closes the connection.
     *
     * @throws ConfigException when REDIS_URL is missing or malformed
     */
    public static CheckerService connect(StreamwreckConfig config) {
        String url = config.redisUrl().orElseThrow(() -> new ConfigException(
                "REDIS_URL is not set: the checker needs the ledger's redis:// or rediss:// URL"));
        LazyLedger ledger = LazyLedger.openInBackground(() -> RedisLedger.connect(url, config.redisCluster(), config.ledgerTtl(), LEDGER_TIMEOUT));
        return new CheckerService(ledger, config.streamName().orElse(null), config.appName().orElse(null), true);
    }

    String defaultStream() {
        return defaultStream;
    }

    String defaultApplication() {
        return defaultApplication;
    }

    /** Whether the ledger answers. */
    public boolean healthy() {
        try {
            return ledger.get().ping();
        } catch (LedgerUnavailableException e) {
            return false;
        }
    }

    /**
     * Classifies the request's keys.
     *
     * @throws LedgerUnavailableException when Redis fails or does not answer in time
     * @throws ApiException               413 when bare numbers would need more lookups than a request may make
     */
    Reconciliation reconcile(ReconcileRequest request) {
        Reconciliation.Builder result = new Reconciliation.Builder(request.scope(), request.form());
        if (request.texts().isEmpty()) {
            return result.build();
        }
        if (request.form() == KeyForm.QUALIFIED) {
            List<KeyStatus> statuses = ledger.get().classify(request.scope(), request.keys());
            for (int i = 0; i < statuses.size(); i++) {
                result.add(request.texts().get(i), statuses.get(i));
            }
            return result.build();
        }
        return resolveBare(request, result);
    }

    /**
     * The seed's shape: each number is classified in every shard of the scope. Found (processed, duplicated or
     * skipped) in one shard → that shard's status; in none → undelivered; in several → ambiguous. This is
     * {@link RedisLedger#resolve} keeping the statuses it finds, so each number costs one lookup per shard, not
     * one more to classify it afterwards.
     */
    private Reconciliation resolveBare(ReconcileRequest request, Reconciliation.Builder result) {
        List<String> numbers = request.texts();
        RedisLedger redis = ledger.get();
        List<String> shards = redis.shards(request.scope());
        long lookups = (long) numbers.size() * shards.size();
        if (lookups > RequestLimits.MAX_BARE_LOOKUPS) {
            throw ApiException.tooLarge("TooManyLookups", "bare sequence numbers are looked up in every shard: "
                    + numbers.size() + " numbers × " + shards.size() + " shards = " + lookups + " lookups, at most "
                    + RequestLimits.MAX_BARE_LOOKUPS + " per request; send shard-qualified keys "
                    + "(shardId-NNNNNNNNNNNN:SEQUENCE) or fewer numbers per request");
        }
        KeyStatus[] found = new KeyStatus[numbers.size()];
        Map<Integer, List<String>> several = new HashMap<>();
        for (String shard : shards) {
            List<RecordKey> keys = new ArrayList<>(numbers.size());
            for (String number : numbers) {
                keys.add(RecordKey.of(shard, number));
            }
            List<KeyStatus> statuses = redis.classify(request.scope(), shard, keys);
            for (int i = 0; i < statuses.size(); i++) {
                KeyStatus status = statuses.get(i);
                if (status.classification() == Classification.UNDELIVERED) {
                    continue;
                }
                if (found[i] == null) {
                    found[i] = status;
                } else {
                    several.computeIfAbsent(i, k -> new ArrayList<>(List.of(found[k].key().shardId()))).add(shard);
                }
            }
        }
        for (int i = 0; i < numbers.size(); i++) {
            List<String> in = several.get(i);
            if (in != null) {
                result.ambiguous(numbers.get(i), in);
            } else if (found[i] == null) {
                result.notFound(numbers.get(i));
            } else {
                result.add(numbers.get(i), found[i]);
            }
        }
        return result.build();
    }

    /** Waits for the ledger connection being opened, if any (init: so that the function starts connected). */
    void awaitLedger() {
        ledger.reconnect();
    }

    /** SnapStart, before the snapshot: closes the ledger connection {@link #connect} opened. */
    void disconnect() {
        ledger.disconnect();
    }

    /** SnapStart, after a restore: opens a new connection now, or (Redis unreachable) on the next request. */
    void reconnect() {
        ledger.reconnect();
    }

    /** Whether a ledger connection is open (or being opened). */
    boolean connected() {
        return ledger.isOpen();
    }

    /** Closes the ledger connection when {@link #connect} opened it. */
    @Override
    public void close() {
        if (ownsLedger) {
            ledger.close();
        }
    }
}
