package io.streamwreck.checker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.streamwreck.ledger.ShardProgress;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes the 200 answer of {@code POST /reconcile} (DESIGN.md "Checker API"), streaming:
 * <pre>{@code
 * {"Checked":3,"Unprocessed":[…],"Skipped":[…],"Undelivered":[…],"Duplicated":[{"Key":"…","Count":2}],
 *  "Ambiguous":[{"Key":"…","Shards":["shardId-…","shardId-…"]}],"Pending":[…],"Processed":1,"Stream":"orders",
 *  "Application":"billing","Evidence":"checkpoints of 4 shards from the lease table billing",
 *  "Checkpoints":{"shardId-…":{"State":"READ_TO","Checkpoint":"4959…","SubSequenceNumber":0}}}
 * }</pre>
 * Every list is present, empty when nothing belongs in it.
 */
final class ReconciliationWriter {

    static final JsonFactory JSON = new JsonFactory();
    /** Room per listed key: the key itself, quotes, comma — and a Duplicated entry's object around it. */
    private static final int BYTES_PER_LISTED_KEY = 100;

    private ReconciliationWriter() {
    }

    static String write(Reconciliation r) {
        int listed = r.unprocessed().size() * 2 + r.duplicated().size() + r.ambiguous().size() + r.pending().size();
        StringWriter out = new StringWriter(256 + listed * BYTES_PER_LISTED_KEY);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("Checked", r.checked());
            strings(g, "Unprocessed", r.unprocessed());
            strings(g, "Skipped", r.skipped());
            strings(g, "Undelivered", r.undelivered());
            g.writeArrayFieldStart("Duplicated");
            for (Reconciliation.Duplicate d : r.duplicated()) {
                g.writeStartObject();
                g.writeStringField("Key", d.key());
                g.writeNumberField("Count", d.count());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("Ambiguous");
            for (Reconciliation.Ambiguous a : r.ambiguous()) {
                g.writeStartObject();
                g.writeStringField("Key", a.key());
                strings(g, "Shards", a.shards());
                g.writeEndObject();
            }
            g.writeEndArray();
            strings(g, "Pending", r.pending());
            g.writeNumberField("Processed", r.processed());
            g.writeStringField("Stream", r.scope().stream());
            g.writeStringField("Application", r.scope().app());
            if (r.evidence() != null) {
                g.writeStringField("Evidence", r.evidence());
            }
            g.writeObjectFieldStart("Checkpoints");
            for (Map.Entry<String, ShardProgress> c : r.checkpoints().entrySet()) {
                g.writeObjectFieldStart(c.getKey());
                g.writeStringField("State", c.getValue().state().name());
                g.writeStringField("Checkpoint", c.getValue().checkpoint());
                g.writeNumberField("SubSequenceNumber", c.getValue().subSequenceNumber());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a StringWriter", e);
        }
        return out.toString();
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
