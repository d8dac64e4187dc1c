package io.streamwreck.lambdaconsumer;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.streamwreck.core.RecordKey;
import io.streamwreck.core.kpl.KplAggregate;
import io.streamwreck.core.notice.DeliveredBatch;
import io.streamwreck.publish.NoticeFactory;
import io.streamwreck.publish.OutgoingNotice;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The notices for one Kinesis event, in the processor's format (compact v2 notices from {@link NoticeFactory}): one
 * notice set per shard of the event (an event source mapping's event holds one shard's records, but nothing here
 * relies on it). Delivered = every record of the shard in the event: its first and last sequence numbers, and the
 * number of user records (a KPL aggregate counts its user records, keyed {@code shardId:seq:n} as the processor keys
 * them; Lambda hands aggregates over whole, the function de-aggregates them itself).
 *
 * <p>Processed follows Lambda's partial batch response for Kinesis: the mapping resumes the shard at the lowest
 * sequence number reported in {@code batchItemFailures}, so a failure at sequence N leaves N and every later record
 * of that shard unprocessed, even ones the function did handle (they will be handed over again). An item identifier
 * that is empty or names no record of the event makes Lambda treat the whole batch as failed: nothing processed. A
 * handler that threw processed nothing either; its delivered range is still reported, so the ledger knows the records
 * reached the function.
 */
public final class EventNotices {

    private final Function<String, NoticeFactory> factories;

    /** @param factories the notice factory of a stream name (the stream, app and worker of its notices) */
    public EventNotices(Function<String, NoticeFactory> factories) {
        this.factories = factories;
    }

    /** The notices of an event whose handler returned {@code response} (null or empty: every record processed). */
    public List<OutgoingNotice> returned(KinesisEvent event, StreamsEventResponse response) {
        return build(event, response, false);
    }

    /** The notices of an event whose handler threw: the delivered ranges, nothing processed. */
    public List<OutgoingNotice> threw(KinesisEvent event) {
        return build(event, null, true);
    }

    private List<OutgoingNotice> build(KinesisEvent event, StreamsEventResponse response, boolean threw) {
        Map<String, List<KinesisEvent.KinesisEventRecord>> byShard = new LinkedHashMap<>();
        for (KinesisEvent.KinesisEventRecord r : records(event)) {
            byShard.computeIfAbsent(shardId(r), s -> new ArrayList<>()).add(r);
        }
        Set<String> failed = failures(response);
        boolean wholeBatchFailed = threw || !allKnown(failed, byShard);
        List<OutgoingNotice> out = new ArrayList<>();
        for (var shard : byShard.entrySet()) {
            List<KinesisEvent.KinesisEventRecord> records = sortedBySequence(shard.getValue());
            String shardId = shard.getKey();
            int received = 0;
            List<RecordKey> processed = new ArrayList<>();
            boolean stopped = wholeBatchFailed;
            for (KinesisEvent.KinesisEventRecord r : records) {
                String seq = r.getKinesis().getSequenceNumber();
                stopped |= failed.contains(seq);
                List<RecordKey> keys = keys(shardId, seq, r.getKinesis().getData());
                received += keys.size();
                if (!stopped) {
                    processed.addAll(keys);
                }
            }
            DeliveredBatch batch = new DeliveredBatch(records.get(0).getKinesis().getSequenceNumber(),
                    records.get(records.size() - 1).getKinesis().getSequenceNumber(), received);
            out.addAll(factories.apply(streamName(records.get(0))).forBatch(shardId, batch, processed));
        }
        return out;
    }

    private static List<KinesisEvent.KinesisEventRecord> records(KinesisEvent event) {
        return event == null || event.getRecords() == null ? List.of() : event.getRecords();
    }

    private static Set<String> failures(StreamsEventResponse response) {
        Set<String> failed = new HashSet<>();
        if (response != null && response.getBatchItemFailures() != null) {
            for (StreamsEventResponse.BatchItemFailure f : response.getBatchItemFailures()) {
                failed.add(f == null || f.getItemIdentifier() == null ? "" : f.getItemIdentifier());
            }
        }
        return failed;
    }

    private static boolean allKnown(Set<String> failed, Map<String, List<KinesisEvent.KinesisEventRecord>> byShard) {
        if (failed.isEmpty()) {
            return true;
        }
        Set<String> sequences = new HashSet<>();
        byShard.values().forEach(rs -> rs.forEach(r -> sequences.add(r.getKinesis().getSequenceNumber())));
        return sequences.containsAll(failed);
    }

    private static List<KinesisEvent.KinesisEventRecord> sortedBySequence(List<KinesisEvent.KinesisEventRecord> records) {
        List<KinesisEvent.KinesisEventRecord> sorted = new ArrayList<>(records);
        sorted.sort((a, b) -> RecordKey.compareSequenceNumbers(a.getKinesis().getSequenceNumber(), b.getKinesis().getSequenceNumber()));
        return sorted;
    }

    /** The keys of one Kinesis record: one, or one per user record of a KPL aggregate. */
    static List<RecordKey> keys(String shardId, String sequenceNumber, ByteBuffer data) {
        int users = 0;
        if (data != null) {
            ByteBuffer copy = data.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            users = KplAggregate.decode(bytes).map(List::size).orElse(0);
        }
        if (users == 0) {
            return List.of(RecordKey.of(shardId, sequenceNumber));
        }
        List<RecordKey> keys = new ArrayList<>(users);
        for (int n = 0; n < users; n++) {
            keys.add(RecordKey.of(shardId, sequenceNumber, n));
        }
        return keys;
    }

    /** {@code eventID} is {@code shardId:sequenceNumber}. */
    static String shardId(KinesisEvent.KinesisEventRecord r) {
        String id = r.getEventID();
        int colon = id == null ? -1 : id.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("Kinesis event record without a shardId:sequence eventID: " + id);
        }
        return id.substring(0, colon);
    }

    /** The stream's name, from {@code arn:aws:kinesis:region:account:stream/NAME}. */
    static String streamName(KinesisEvent.KinesisEventRecord r) {
        String arn = r.getEventSourceARN();
        int slash = arn == null ? -1 : arn.indexOf("stream/");
        if (slash < 0) {
            throw new IllegalArgumentException("Kinesis event record without a stream ARN: " + arn);
        }
        String rest = arn.substring(slash + "stream/".length());
        int end = rest.indexOf('/');
        return end < 0 ? rest : rest.substring(0, end);
    }
}
