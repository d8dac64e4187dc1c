package io.streamwreck.producer;

/**
 * The Kinesis Data Streams limits the writer works within (AWS "Quotas and limits", provisioned and on-demand
 * streams alike).
 */
public final class KinesisLimits {

    /** Records in one PutRecords call. */
    public static final int MAX_RECORDS_PER_CALL = 500;
    /** Bytes in one PutRecords call: data plus partition keys of every entry. */
    public static final int MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
    /** Bytes of one record: its data plus its partition key (UTF-8). */
    public static final int MAX_RECORD_BYTES = 1024 * 1024;
    /** Characters (Unicode code points) of a partition key. */
    public static final int MAX_PARTITION_KEY_CHARS = 256;
    /** Records per second one shard accepts. */
    public static final int RECORDS_PER_SECOND_PER_SHARD = 1000;
    /** Bytes per second one shard accepts. */
    public static final int BYTES_PER_SECOND_PER_SHARD = 1024 * 1024;

    private KinesisLimits() {
    }
}
