package io.streamwreck.ledger;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;

import java.nio.ByteBuffer;

/**
 * The answer to an HMGET on a bucket, read straight into processed counts: {@code -1} where the field is absent.
 * Lettuce's own HMGET output copies every value into a {@code byte[]} and wraps it with its field in a
 * {@code KeyValue} in a list; a lookup wants one number per field, and this is where every answered key passes.
 */
final class CountsOutput extends CommandOutput<byte[], byte[], long[]> {

    /** An absent field: not processed (the script never writes a count below 1). */
    static final long ABSENT = -1;

    private int next;

    CountsOutput(int fields) {
        super(ByteArrayCodec.INSTANCE, new long[fields]);
    }

    @Override
    public void set(ByteBuffer bytes) {
        if (next == output.length) {
            throw new IllegalStateException("HMGET answered more values than the " + output.length + " fields asked");
        }
        output[next++] = bytes == null ? ABSENT : count(bytes);
    }

    /** The decimal count Redis stores (HINCRBY): ASCII digits. */
    private static long count(ByteBuffer bytes) {
        long v = 0;
        for (int i = bytes.position(), end = bytes.limit(); i < end; i++) {
            v = v * 10 + (bytes.get(i) - '0');
        }
        return v;
    }
}
