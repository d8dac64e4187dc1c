package io.streamwreck.processor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.streamwreck.core.RecordKey;
import io.streamwreck.publish.OutgoingNotice;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * {@code --audit-log FILE}: the processor's own record of what its handler completed — the ground truth tests and
 * the fault suite compare the ledger against. JSON lines, appended:
 * <pre>
 * {"key":"shardId-000000000001:4959…","worker":"host:123:ab12cd","at":"…","notice":"&lt;id&gt;"}
 * {"published":"&lt;id&gt;","worker":"host:123:ab12cd","at":"…"}
 * </pre>
 * One line per completed record, written (and flushed to the OS, so it survives {@code kill -9}) before the
 * batch's notices are sent; one {@code published} line per notice once SNS accepted it. A record whose notice has
 * no {@code published} line was handled but may be unknown to the ledger: its worker died before it could tell.
 */
public final class AuditLog implements AutoCloseable {

    private static final JsonFactory JSON = new JsonFactory();
    private static final AuditLog NONE = new AuditLog(null, "");

    private final Writer out;
    private final String worker;

    private AuditLog(Writer out, String worker) {
        this.out = out;
        this.worker = worker;
    }

    public static AuditLog none() {
        return NONE;
    }

    public static AuditLog open(Path file, String worker) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new AuditLog(new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), 1 << 16), worker);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    public boolean enabled() {
        return out != null;
    }

    /** The records of one batch the handler completed, each with the notice that reports it. */
    public synchronized void completed(List<OutgoingNotice> notices, Instant at) {
        if (out == null) {
            return;
        }
        String when = at.toString();
        try {
            for (OutgoingNotice notice : notices) {
                String id = notice.notice().id();
                for (RecordKey key : notice.notice().processed()) {
                    writeLine(json -> {
                        json.writeStringField("key", key.toString());
                        json.writeStringField("worker", worker);
                        json.writeStringField("at", when);
                        json.writeStringField("notice", id);
                    });
                }
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit log: " + e.getMessage(), e);
        }
    }

    /** Notices SNS accepted. */
    public synchronized void published(List<OutgoingNotice> notices, Instant at) {
        if (out == null) {
            return;
        }
        try {
            for (OutgoingNotice notice : notices) {
                writeLine(json -> {
                    json.writeStringField("published", notice.notice().id());
                    json.writeStringField("worker", worker);
                    json.writeStringField("at", at.toString());
                });
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit log: " + e.getMessage(), e);
        }
    }

    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private void writeLine(Fields fields) throws IOException {
        StringWriter line = new StringWriter(160);
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        }
        out.write(line.toString());
        out.write('\n');
    }

    @Override
    public synchronized void close() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the audit log: " + e.getMessage(), e);
        }
    }
}
