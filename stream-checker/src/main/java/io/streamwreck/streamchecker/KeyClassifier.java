package io.streamwreck.streamchecker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.KeyStatus;

import java.util.List;
import java.util.Optional;

/**
 * Where the scan asks how each record was handled: the checker API ({@code --endpoint}) or the ledger itself
 * ({@code --redis}). Both answer with the same classification, so both modes give the same report.
 * Implementations are thread-safe: several batches are asked at once.
 */
interface KeyClassifier extends AutoCloseable {

    /**
     * Fails before any shard is read when the checker or ledger cannot be reached, rather than after a long scan.
     *
     * @throws ScanFailedException saying what could not be reached
     */
    void checkReachable() throws InterruptedException;

    /**
     * @param shardId the shard every key is of: the scan batches by shard, and the ledger looks a shard up fastest
     *                when it need not group the keys itself
     * @return one status per key, in the order given
     * @throws ScanFailedException when the answer cannot be had (after the retries the mode allows)
     */
    List<KeyStatus> classify(String shardId, List<RecordKey> keys) throws InterruptedException;

    /** The application the answers are about, when known: the checker names its default if none was given. */
    Optional<String> application();

    @Override
    void close();
}
