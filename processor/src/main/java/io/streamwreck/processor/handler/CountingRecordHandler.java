package io.streamwreck.processor.handler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The default handler: counts and logs (at DEBUG) every record. With {@code skipEvery = N > 0} it drops each
 * record whose sequence number mod N is 0 — one record at a time, the rest of the batch is still handled (the
 * seed dropped the remainder of the batch) — which is how {@code --simulate-skip} produces known drift.
 */
public final class CountingRecordHandler implements RecordHandler {

    private static final Logger log = LoggerFactory.getLogger(CountingRecordHandler.class);

    private final BigInteger skipEvery;
    private final LongAdder handled = new LongAdder();
    private final LongAdder skipped = new LongAdder();

    public CountingRecordHandler() {
        this(0);
    }

    /** @param skipEvery 0 to handle every record; N &gt; 0 to skip records whose sequence number mod N == 0 */
    public CountingRecordHandler(long skipEvery) {
        if (skipEvery < 0) {
            throw new IllegalArgumentException("skipEvery must be 0 (off) or positive, was " + skipEvery);
        }
        this.skipEvery = skipEvery == 0 ? null : BigInteger.valueOf(skipEvery);
    }

    /** Whether this handler's simulation skips the record with this sequence number. */
    public boolean skips(String sequenceNumber) {
        return skipEvery != null && new BigInteger(sequenceNumber).mod(skipEvery).signum() == 0;
    }

    @Override
    public boolean handle(IncomingRecord record) {
        if (skips(record.sequenceNumber())) {
            skipped.increment();
            log.debug("skipped {} (simulated)", record.key());
            return false;
        }
        handled.increment();
        log.debug("handled {}", record.key());
        return true;
    }

    public long handled() {
        return handled.sum();
    }

    public long skipped() {
        return skipped.sum();
    }

    @Override
    public void close() {
        log.info("handled {} records, skipped {} (simulated)", handled(), skipped());
    }
}
