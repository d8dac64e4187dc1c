package io.streamwreck.processor.handler;

/**
 * The user's business logic: what the processor does with each record. streamwreck reports a record as
 * processed only when {@link #handle} returned {@code true}.
 *
 * <p>Plug one in with {@code --handler CLASS} (a public class with a public no-argument constructor), or by
 * listing it in {@code META-INF/services/io.streamwreck.processor.handler.RecordHandler} on the class path.
 * Without either, the processor runs {@link CountingRecordHandler}.
 *
 * <p>Called from one thread per shard, several shards at once: implementations must be thread-safe.
 */
public interface RecordHandler extends AutoCloseable {

    /**
     * Handles one record.
     *
     * @return {@code true} when the record was handled; {@code false} when the handler chose to drop it (it is
     *         then reported as skipped)
     * @throws Exception when handling failed: the record is reported as not processed, the failure is logged,
     *                   and the next record is handled (the batch goes on)
     */
    boolean handle(IncomingRecord record) throws Exception;

    /** Called once when the worker stops. */
    @Override
    default void close() {
    }
}
