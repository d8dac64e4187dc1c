package io.streamwreck.checker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.config.ConfigException;
import io.streamwreck.core.config.StreamwreckConfig;
import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.ConsumerCheckpoints;
import io.streamwreck.ledger.KeyStatus;
import io.streamwreck.ledger.LedgerUnavailableException;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.ReopenableLedger;
import io.streamwreck.ledger.Scope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
    /**
     * After a failed connection attempt, requests answer 503 at once for this long instead of queueing behind new
     * attempts. A function that failed its init would answer 502 on API Gateway until Lambda retried the init; this
     * way every request is answered, 503 while Redis is away.
     */
    static final java.time.Duration RETRY_AFTER_FAILURE = java.time.Duration.ofSeconds(1);

    private final ReopenableLedger ledger;
    private final String defaultStream;
    private final String defaultApplication;
    private final boolean ownsLedger;
    private final LeaseTableReader leaseTables;

    /**
     * Over a ledger the caller keeps (and closes).
     *
     * @param defaultStream      the scope for requests that name none (STREAM_NAME), or null
     * @param defaultApplication the scope for requests that name none (APP_NAME), or null
     */
    public CheckerService(RedisLedger ledger, String defaultStream, String defaultApplication) {
        this(ReopenableLedger.of(ledger), defaultStream, defaultApplication, false, LeaseTableReader.none());
    }

    /** As above, telling pending from undelivered by the lease tables {@code config} points at (AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION). */
    CheckerService(RedisLedger ledger, String defaultStream, String defaultApplication, StreamwreckConfig config) {
        this(ReopenableLedger.of(ledger), defaultStream, defaultApplication, false, LeaseTableReader.of(config));
    }

    private CheckerService(ReopenableLedger ledger, String defaultStream, String defaultApplication, boolean ownsLedger,
                           LeaseTableReader leaseTables) {
        this.leaseTables = leaseTables;
        this.ledger = ledger;
        this.defaultStream = defaultStream;
        this.defaultApplication = defaultApplication;
        this.ownsLedger = ownsLedger;
    }

    /**
     * Connects to the ledger named by the configuration (REDIS_URL, REDIS_CLUSTER, LEDGER_TTL) — starting now,
     * on a thread of its own (the first request that needs the ledger waits for it), or when Redis cannot be
     * reached now, on the first request that needs it (see {@link ReopenableLedger}); the default
     * scope is STREAM_NAME and APP_NAME, when set. {@link #close()} closes the connection.
     *
     * @throws ConfigException when REDIS_URL is missing or malformed
     */
    public static CheckerService connect(StreamwreckConfig config) {
        String url = config.redisUrl().orElseThrow(() -> new ConfigException(
                "REDIS_URL is not set: the checker needs the ledger's redis:// or rediss:// URL"));
        ReopenableLedger ledger = ReopenableLedger.openInBackground(
                () -> RedisLedger.connect(url, config.redisCluster(), config.ledgerTtl(), LEDGER_TIMEOUT), RETRY_AFTER_FAILURE);
        return new CheckerService(ledger, config.streamName().orElse(null), config.appName().orElse(null), true,
                LeaseTableReader.of(config));
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
        if (request.texts().isEmpty()) {
            return new Reconciliation.Builder(request.scope(), request.form()).build();
        }
        // Before the ledger: a checkpoint read first is never ahead of what the ledger then holds (see ConsumerCheckpoints).
        ConsumerCheckpoints checkpoints = leaseTables.read(request.scope());
        Reconciliation.Builder result = new Reconciliation.Builder(request.scope(), request.form(), checkpoints);
        if (request.form() == KeyForm.QUALIFIED) {
            List<KeyStatus> statuses = ledger.get().classify(request.scope(), request.keys());
            for (int i = 0; i < statuses.size(); i++) {
                // The checker does not list the stream's shards: a shard without a lease is closed only if a child names it.
                result.add(request.texts().get(i), checkpoints.judge(statuses.get(i), false));
            }
            return result.build();
        }
        return resolveBare(request, result, checkpoints);
    }

    /**
     * The seed's shape: each number is classified in every shard of the scope. Found (processed, duplicated or
     * skipped) in one shard → that shard's status; in none → undelivered, or pending when some shard's consumer
     * has not reached it yet (a bare number does not say its shard; lag there must not be reported as loss); in
     * several → ambiguous. This is {@link RedisLedger#resolve} keeping the statuses it finds, so each number costs
     * one lookup per shard, not one more to classify it afterwards.
     */
    private Reconciliation resolveBare(ReconcileRequest request, Reconciliation.Builder result, ConsumerCheckpoints checkpoints) {
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
        Set<String> leased = new TreeSet<>(shards);
        leased.addAll(checkpoints.leases().keySet());
        for (int i = 0; i < numbers.size(); i++) {
            List<String> in = several.get(i);
            if (in != null) {
                result.ambiguous(numbers.get(i), in);
            } else if (found[i] == null) {
                String number = numbers.get(i);
                boolean ahead = checkpoints.visible()
                        && leased.stream().anyMatch(shard -> checkpoints.shard(shard, false).ahead(RecordKey.of(shard, number)));
                result.notFound(number, ahead);
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
        leaseTables.close();
    }
}
