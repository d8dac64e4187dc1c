package io.streamwreck.processor.kcl;

import software.amazon.kinesis.retrieval.KinesisClientRecord;

/** A place in a shard to checkpoint at: a sequence number and, inside a KPL-aggregated record, a sub-sequence number. */
record Position(String sequenceNumber, long subSequenceNumber) {

    static Position of(KinesisClientRecord record) {
        return new Position(record.sequenceNumber(), record.aggregated() ? record.subSequenceNumber() : 0);
    }

    @Override
    public String toString() {
        return subSequenceNumber == 0 ? sequenceNumber : sequenceNumber + ":" + subSequenceNumber;
    }
}
