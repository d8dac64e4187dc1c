package io.streamwreck.streamchecker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.KeyStatus;
import io.streamwreck.ledger.LedgerUnavailableException;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code --redis}: asks the ledger in Redis directly, as the checker Lambda would. */
final class LedgerClassifier implements KeyClassifier {

    /** Ten seconds per command: a 10,000-key lookup takes milliseconds, so this only ends a hung Redis. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final RedisLedger ledger;
    private final Scope scope;

    private LedgerClassifier(RedisLedger ledger, Scope scope) {
        this.ledger = ledger;
        this.scope = scope;
    }

    /**
     * @param ttl only used when writing, which the scan never does; given so the connection is set up as everywhere else
     * @throws ScanFailedException when Redis cannot be reached
     */
    static LedgerClassifier connect(String url, boolean cluster, Duration ttl, Scope scope) {
        try {
            return new LedgerClassifier(RedisLedger.connect(url, cluster, ttl, COMMAND_TIMEOUT), scope);
        } catch (LedgerUnavailableException e) {
            throw new ScanFailedException("cannot reach the ledger: " + ScanFailedException.oneLine(e.getMessage()), e);
        }
    }

    @Override
    public void checkReachable() {
        if (!ledger.ping()) {
            throw new ScanFailedException("the ledger at " + ledger.where() + " does not answer PING");
        }
    }

    @Override
    public List<KeyStatus> classify(String shardId, List<RecordKey> keys) {
        try {
            return ledger.classify(scope, shardId, keys);
        } catch (LedgerUnavailableException e) {
            throw new ScanFailedException("the ledger did not answer: " + ScanFailedException.oneLine(e.getMessage()), e);
        }
    }

    @Override
    public Optional<String> application() {
        return Optional.of(scope.app());
    }

    @Override
    public void close() {
        ledger.close();
    }
}
