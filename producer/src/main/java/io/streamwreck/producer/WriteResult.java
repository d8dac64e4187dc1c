package io.streamwreck.producer;

import io.streamwreck.core.RecordKey;

/**
 * Where Kinesis stored a record: its shard and sequence number, and how many PutRecords attempts it took.
 *
 * @param shardId        the shard Kinesis put the record in, as PutRecords reported it
 * @param sequenceNumber the record's sequence number in that shard
 * @param attempts       PutRecords calls that carried this record, the successful one included (1 = first try)
 */
public record WriteResult(String shardId, String sequenceNumber, int attempts) {

    /** The record's shard-qualified key (DESIGN.md "Record keys"). */
    public RecordKey key() {
        return RecordKey.of(shardId, sequenceNumber);
    }
}
