package io.streamwreck.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamwreck.core.RecordKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A worker's audit log, read back: the records its handler completed, in order, and the notices SNS accepted. */
record AuditRecords(List<RecordKey> completed, List<String> noticeOfEach, Set<String> published) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static AuditRecords read(Path file) {
        List<RecordKey> completed = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        Set<String> published = new HashSet<>();
        if (!Files.exists(file)) {
            return new AuditRecords(completed, notices, published);
        }
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    if (i == lines.size() - 1) {
                        break; // a worker killed with -9 mid-write leaves a partial last line, and nothing after it
                    }
                    throw e;
                }
                if (node.has("key")) {
                    completed.add(RecordKey.parse(node.get("key").asText()));
                    notices.add(node.get("notice").asText());
                } else {
                    published.add(node.get("published").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AuditRecords(completed, notices, published);
    }

    /** Completed records whose notice SNS accepted (per this log). */
    Set<RecordKey> reported() {
        Set<RecordKey> out = new HashSet<>();
        for (int i = 0; i < completed.size(); i++) {
            if (published.contains(noticeOfEach.get(i))) {
                out.add(completed.get(i));
            }
        }
        return out;
    }
}
