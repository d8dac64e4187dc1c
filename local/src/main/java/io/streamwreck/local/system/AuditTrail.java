package io.streamwreck.local.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One worker's {@code processor.jar --audit-log} file, read back: the records its handler completed, in completion
 * order, each with the notice that reports it, and the notices SNS accepted. The ground truth tests compare the
 * ledger against (the format is documented on the processor's {@code AuditLog}).
 *
 * @param completed record keys ({@code shardId:seq[:sub]}) in the order the handler completed them
 * @param noticeOf  for each entry of {@code completed}, the id of its notice
 * @param published ids of the notices SNS accepted
 */
public record AuditTrail(List<String> completed, List<String> noticeOf, Set<String> published) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code file}; a missing file is an empty trail (the worker handled nothing yet). */
    public static AuditTrail read(Path file) {
        List<String> completed = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        Set<String> published = new HashSet<>();
        if (!Files.exists(file)) {
            return new AuditTrail(completed, notices, published);
        }
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(lines.get(i));
                } catch (IOException e) {
                    if (i == lines.size() - 1) {
                        break; // a worker killed with -9 mid-write leaves a partial last line, and nothing after it
                    }
                    throw e;
                }
                if (node.has("key")) {
                    completed.add(node.get("key").asText());
                    notices.add(node.get("notice").asText());
                } else {
                    published.add(node.get("published").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + file + ": " + e.getMessage(), e);
        }
        return new AuditTrail(completed, notices, published);
    }

    /** Completed records whose notice this worker never saw accepted: the ledger may not know them. */
    public Set<String> unconfirmed() {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < completed.size(); i++) {
            if (!published.contains(noticeOf.get(i))) {
                out.add(completed.get(i));
            }
        }
        return out;
    }
}
