package io.streamwreck.streamchecker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.streamwreck.ledger.Classification;

import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --format json}: the whole report, every drifted key included, PascalCase like the checker API.
 * <pre>{@code
 * {"Stream":"orders","Application":"billing","From":"trim-horizon","Settle":"PT1M","ScanStarted":"…","Seconds":3.2,
 *  "Shards":[{"ShardId":"shardId-000000000000","State":"closed","Scanned":10,"Processed":7,"Duplicated":1,
 *             "Skipped":1,"Undelivered":1,"InFlight":0,"Pending":0,
 *             "Checkpoint":{"State":"READ_TO","Checkpoint":"4959…","SubSequenceNumber":0},"Behind":{"Records":0,"Seconds":0}}, …],
 *  "Total":{"Shards":3,"Scanned":…,…,"InFlight":…,"Pending":…},"Drift":3,"Evidence":"checkpoints of 3 shards from the lease table billing",
 *  "Duplicated":[{"Key":"shardId-…:…","Count":2}],"Skipped":["shardId-…:…"],"Undelivered":["shardId-…:…:3"],
 *  "Part":null,
 *  "Timeline":{"Bucket":"PT1M","Automatic":true,
 *              "Buckets":[{"Start":"2026-11-22T09:58:00Z","Scanned":…,…,"InFlight":…,"Pending":…,
 *                          "Shards":[{"ShardId":"shardId-…","Scanned":…,…}]}, …],
 *              "DriftedBuckets":{"Duplicated":[0],"Skipped":[0],"Undelivered":[1]}}}
 * }</pre>
 * Lists are always present and in key order; only {@code ScanStarted} and {@code Seconds} differ between two
 * scans of an unchanged stream. {@code Part} is {@code "i/N"} for a scan of part of the shards ({@code --shards}).
 * The timeline holds only buckets with records, in time order, and in each only the shards that had records in it;
 * {@code DriftedBuckets.X[j]} is the index in {@code Buckets} of the bucket in which the j-th key of list X arrived.
 */
final class JsonReport {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonReport() {
    }

    static void write(ScanReport report, Writer out) throws IOException {
        write(report, out, true);
    }

    /** @param pretty one field a line, indented (what a person reads), or everything on one line (what the page embeds) */
    static void write(ScanReport report, Writer out, boolean pretty) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            g.writeStartObject();
            g.writeStringField("Stream", report.stream());
            if (report.application() != null) {
                g.writeStringField("Application", report.application());
            } else {
                g.writeNullField("Application");
            }
            g.writeStringField("From", report.from().toString());
            g.writeStringField("Settle", report.settle().toString());
            g.writeStringField("ScanStarted", report.scanStart().toString());
            g.writeFieldName("Seconds");
            g.writeRawValue(String.format(Locale.ROOT, "%.3f", report.seconds()));
            g.writeArrayFieldStart("Shards");
            for (ShardSummary s : report.shards()) {
                g.writeStartObject();
                g.writeStringField("ShardId", s.shardId());
                g.writeStringField("State", s.closed() ? "closed" : "open");
                counts(g, s.counts());
                lag(g, s.lag(), report);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("Total");
            g.writeNumberField("Shards", report.shards().size());
            counts(g, report.total());
            g.writeEndObject();
            g.writeNumberField("Drift", report.total().drift());
            if (report.evidence() != null) {
                g.writeStringField("Evidence", report.evidence());
            }
            g.writeArrayFieldStart("Duplicated");
            for (DriftedKey d : report.drifted()) {
                if (d.classification() == Classification.DUPLICATED) {
                    g.writeStartObject();
                    g.writeStringField("Key", d.key().toString());
                    g.writeNumberField("Count", d.count());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            keys(g, "Skipped", report, Classification.SKIPPED);
            keys(g, "Undelivered", report, Classification.UNDELIVERED);
            if (report.part() != null) {
                g.writeStringField("Part", report.part());
            } else {
                g.writeNullField("Part");
            }
            timeline(g, report);
            g.writeEndObject();
        }
        if (pretty) {
            out.write(System.lineSeparator());
        }
        out.flush();
    }

    private static void counts(JsonGenerator g, Counts c) throws IOException {
        g.writeNumberField("Scanned", c.scanned());
        g.writeNumberField("Processed", c.processed());
        g.writeNumberField("Duplicated", c.duplicated());
        g.writeNumberField("Skipped", c.skipped());
        g.writeNumberField("Undelivered", c.undelivered());
        g.writeNumberField("InFlight", c.inFlight());
        g.writeNumberField("Pending", c.pending());
    }

    /** {@code "Checkpoint":{"State":"READ_TO","Checkpoint":"4959…","SubSequenceNumber":0},"Behind":{"Records":12,"Seconds":185}}. */
    private static void lag(JsonGenerator g, ShardSummary.Lag lag, ScanReport report) throws IOException {
        if (lag == null) {
            return;
        }
        g.writeObjectFieldStart("Checkpoint");
        g.writeStringField("State", lag.progress().state().name());
        g.writeStringField("Checkpoint", lag.progress().checkpoint());
        g.writeNumberField("SubSequenceNumber", lag.progress().subSequenceNumber());
        g.writeEndObject();
        g.writeObjectFieldStart("Behind");
        g.writeNumberField("Records", lag.records());
        g.writeNumberField("Seconds", lag.oldest() == null ? 0 : Math.max(0, Duration.between(lag.oldest(), report.scanStart()).toSeconds()));
        g.writeEndObject();
    }

    private static void timeline(JsonGenerator g, ScanReport report) throws IOException {
        Timeline t = report.timeline();
        g.writeObjectFieldStart("Timeline");
        g.writeStringField("Bucket", t.bucket().toString());
        g.writeBooleanField("Automatic", t.automatic());
        g.writeArrayFieldStart("Buckets");
        for (Map.Entry<Long, Map<String, Counts>> bucket : t.cells().entrySet()) {
            g.writeStartObject();
            g.writeStringField("Start", Instant.ofEpochSecond(bucket.getKey()).toString());
            counts(g, t.total(bucket.getKey()));
            g.writeArrayFieldStart("Shards");
            for (Map.Entry<String, Counts> shard : bucket.getValue().entrySet()) {
                g.writeStartObject();
                g.writeStringField("ShardId", shard.getKey());
                counts(g, shard.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        List<Long> starts = t.starts();
        g.writeObjectFieldStart("DriftedBuckets");
        for (Classification c : List.of(Classification.DUPLICATED, Classification.SKIPPED, Classification.UNDELIVERED)) {
            g.writeArrayFieldStart(LISTS.get(c));
            for (DriftedKey d : report.drifted()) {
                if (d.classification() == c) {
                    int i = d.arrival() == null ? -1
                            : Collections.binarySearch(starts, t.startOf(Timeline.epochSecond(d.arrival())));
                    if (i < 0) {
                        g.writeNull();
                    } else {
                        g.writeNumber(i);
                    }
                }
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** The report's list of the keys of each drifted class. */
    static final Map<Classification, String> LISTS = Map.of(Classification.DUPLICATED, "Duplicated",
            Classification.SKIPPED, "Skipped", Classification.UNDELIVERED, "Undelivered");

    private static void keys(JsonGenerator g, String field, ScanReport report, Classification which) throws IOException {
        g.writeArrayFieldStart(field);
        for (DriftedKey d : report.drifted()) {
            if (d.classification() == which) {
                g.writeString(d.key().toString());
            }
        }
        g.writeEndArray();
    }
}
