package io.streamwreck.streamchecker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * The writer's section of the drift report ({@code --adapter-db}): after the text report, a section of its own;
 * in the JSON report, a {@code "Writer"} object added to the top level.
 * <pre>
 * writer (adapter database): 200000 lines staged, 0 pending
 *   unwritten      0
 *   written-twice  1
 *   written-twice  s3://logs/orders/f-3.log:17  shardId-000000000001:4959…, shardId-000000000002:4959…
 *   source of shardId-000000000001:4959…  s3://logs/orders/f-3.log:17
 * </pre>
 */
final class WriterReport {

    private static final JsonFactory JSON = new JsonFactory();

    private WriterReport() {
    }

    /** The text section; the sources of drifted records are listed up to {@code show}, like the drifted keys above them. */
    static void writeText(WriterAccount account, int show, PrintWriter out) {
        out.printf("%nwriter (adapter database): %d lines staged, %d pending (staged within the settle window)%n",
                account.staged(), account.writerPending());
        out.printf("  unwritten      %d%n", account.unwrittenCount());
        out.printf("  written-twice  %d%n", account.writtenTwiceCount());
        for (WriterAccount.Line l : account.unwritten()) {
            out.printf("  unwritten      %s  (no key: it never reached the stream)%n", l.source());
        }
        for (WriterAccount.Line l : account.writtenTwice()) {
            out.printf("  written-twice  %s  %s%n", l.source(), String.join(", ", l.keys()));
        }
        int shown = 0;
        for (Map.Entry<String, WriterAccount.Line> e : account.sources().entrySet()) {
            if (shown++ == show) {
                out.printf("  … and %d more sources (--show N lists more; --format json lists all)%n", account.sources().size() - show);
                break;
            }
            out.printf("  source of %s  %s%n", e.getKey(), e.getValue().source());
        }
        out.flush();
    }

    /** The JSON report {@code reportJson} with a {@code "Writer"} object appended to its top level. */
    static void writeJson(String reportJson, WriterAccount account, Writer out) throws IOException {
        StringWriter merged = new StringWriter();
        try (JsonParser p = JSON.createParser(reportJson); JsonGenerator g = JSON.createGenerator(merged)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the JSON report is not an object");
            }
            g.writeStartObject();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                g.writeFieldName(p.currentName());
                p.nextToken();
                g.copyCurrentStructure(p);
            }
            g.writeObjectFieldStart("Writer");
            g.writeNumberField("Staged", account.staged());
            g.writeNumberField("Pending", account.writerPending());
            g.writeNumberField("Unwritten", account.unwrittenCount());
            g.writeNumberField("WrittenTwice", account.writtenTwiceCount());
            lines(g, "UnwrittenLines", account.unwritten());
            lines(g, "WrittenTwiceLines", account.writtenTwice());
            g.writeArrayFieldStart("Sources");
            for (Map.Entry<String, WriterAccount.Line> e : account.sources().entrySet()) {
                g.writeStartObject();
                g.writeStringField("Key", e.getKey());
                g.writeStringField("File", e.getValue().file());
                g.writeNumberField("Line", e.getValue().line());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        }
        out.write(merged.toString());
        out.write(System.lineSeparator());
        out.flush();
    }

    private static void lines(JsonGenerator g, String field, List<WriterAccount.Line> lines) throws IOException {
        g.writeArrayFieldStart(field);
        for (WriterAccount.Line l : lines) {
            g.writeStartObject();
            g.writeStringField("File", l.file());
            g.writeNumberField("Line", l.line());
            g.writeArrayFieldStart("Keys");
            for (String k : l.keys()) {
                g.writeString(k);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
