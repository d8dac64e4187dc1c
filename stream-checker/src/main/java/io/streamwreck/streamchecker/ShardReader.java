package io.streamwreck.streamchecker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.core.kpl.KplAggregate;
import io.streamwreck.ledger.ShardProgress;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads one shard from the start position up to the tip as it was when the scan started, turning each record
 * into its key — or, for a KPL-aggregated record, one key per user record ({@code shardId:seq:n}) — and hands
 * the keys to the check pipeline; records that are too recent to judge are only counted.
 *
 * <p>Where a shard ends:
 * <ul>
 *   <li>a closed shard (split or merged away) ends where GetRecords returns no next iterator;</li>
 *   <li>an open shard ends at the first record that arrived at or after the scan started — within a shard
 *       records come in arrival order, so everything before it was there at the start — or, on a shard nobody
 *       wrote to since, when GetRecords says it is caught up (MillisBehindLatest 0): the tip at that moment is
 *       at or past the tip at the start.</li>
 * </ul>
 * A sequence number read at the start (a LATEST iterator has no position one can read) is not needed, and an
 * open shard with no records ends after one call. Kinesis may answer an empty page while still behind (a
 * gap in a sparse shard): the reader keeps going while MillisBehindLatest says there is more.
 */
final class ShardReader {

    private final KinesisCalls kinesis;
    private final String stream;
    private final ShardTally tally;
    private final StartPosition from;
    private final ScanWindow window;
    private final CheckPipeline.Batcher batcher;
    private final TimelineTally timeline;
    private final AtomicLong scannedTotal;
    private final CallPacer pacer = new CallPacer(CallPacer.CALLS_PER_SECOND);
    /** The last record handed on, to resume after it with a fresh iterator. */
    private String lastSequenceNumber;

    ShardReader(KinesisCalls kinesis, String stream, ShardTally tally, StartPosition from, ScanWindow window,
                CheckPipeline.Batcher batcher, TimelineTally timeline, AtomicLong scannedTotal) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.tally = tally;
        this.from = from;
        this.window = window;
        this.batcher = batcher;
        this.timeline = timeline;
        this.scannedTotal = scannedTotal;
    }

    void read() throws InterruptedException {
        String shardId = tally.shardId();
        String iterator = kinesis.shardIterator(stream, shardId, from::applyTo);
        while (iterator != null) {
            pacer.awaitTurn();
            GetRecordsResponse page;
            try {
                page = kinesis.getRecords(shardId, iterator);
            } catch (ExpiredIteratorException e) {
                // Iterators live five minutes; a slow checker can hold a reader that long. Resume after the last record.
                iterator = resumeIterator(shardId);
                continue;
            }
            boolean pastTip = take(shardId, page);
            Long behind = page.millisBehindLatest();
            boolean caughtUp = behind == null ? page.records().isEmpty() : behind == 0;
            if (pastTip || caughtUp) {
                break;
            }
            // null for a closed shard whose last record was read.
            iterator = page.nextShardIterator();
        }
        batcher.flush();
    }

    private String resumeIterator(String shardId) throws InterruptedException {
        if (lastSequenceNumber == null) {
            return kinesis.shardIterator(stream, shardId, from::applyTo);
        }
        String after = lastSequenceNumber;
        return kinesis.shardIterator(stream, shardId,
                b -> b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(after));
    }

    /** Handles one page; true when it reached records that arrived after the scan started. */
    private boolean take(String shardId, GetRecordsResponse page) throws InterruptedException {
        boolean pastTip = false;
        long scanned = 0;
        long inFlight = 0;
        // The timeline is told once per run of records that arrived in the same second.
        long second = Long.MIN_VALUE;
        long secondScanned = 0;
        long secondInFlight = 0;
        long behind = 0;
        Instant firstBehind = null;
        ShardProgress progress = tally.progress();
        for (Record record : page.records()) {
            Instant arrival = record.approximateArrivalTimestamp();
            if (!window.beforeTip(arrival)) {
                // Not part of this scan. Keep looking through the page: arrival times are approximate, and an
                // earlier record after a later one must not be lost.
                pastTip = true;
                continue;
            }
            String sequenceNumber = record.sequenceNumber();
            lastSequenceNumber = sequenceNumber;
            int userRecords = KplAggregate.hasMagic(record.data().asByteArrayUnsafe())
                    ? KplAggregate.userRecordCount(record.data().asByteArrayUnsafe()) : -1;
            int keys = userRecords < 0 ? 1 : userRecords;
            long arrived = Timeline.epochSecond(arrival == null ? window.scanStart() : arrival);
            if (arrived != second) {
                if (secondScanned > 0) {
                    timeline.read(shardId, second, secondScanned, secondInFlight);
                }
                second = arrived;
                secondScanned = 0;
                secondInFlight = 0;
            }
            scanned += keys;
            secondScanned += keys;
            if (progress != null) {
                // How far the consumer is behind: the records after its checkpoint, and when the first of them arrived.
                long after = userRecords < 0 ? (progress.ahead(RecordKey.of(shardId, sequenceNumber)) ? 1 : 0)
                        : userRecordsAhead(progress, shardId, sequenceNumber, userRecords);
                if (after > 0) {
                    behind += after;
                    firstBehind = firstBehind == null ? arrival : firstBehind;
                }
            }
            if (window.inFlight(arrival)) {
                inFlight += keys;
                secondInFlight += keys;
            } else if (userRecords < 0) {
                batcher.add(RecordKey.of(shardId, sequenceNumber), arrived);
            } else {
                for (int sub = 0; sub < userRecords; sub++) {
                    batcher.add(RecordKey.of(shardId, sequenceNumber, sub), arrived);
                }
            }
        }
        if (secondScanned > 0) {
            timeline.read(shardId, second, secondScanned, secondInFlight);
        }
        tally.scanned(scanned);
        tally.inFlight(inFlight);
        if (behind > 0) {
            tally.behind(behind, firstBehind);
        }
        scannedTotal.addAndGet(scanned);
        return pastTip;
    }

    private static long userRecordsAhead(ShardProgress progress, String shardId, String sequenceNumber, int userRecords) {
        if (!progress.ahead(RecordKey.of(shardId, sequenceNumber, userRecords - 1))) {
            return 0;
        }
        long n = 0;
        for (int sub = 0; sub < userRecords; sub++) {
            if (progress.ahead(RecordKey.of(shardId, sequenceNumber, sub))) {
                n++;
            }
        }
        return n;
    }
}
