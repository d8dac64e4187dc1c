package io.streamwreck.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamwreck.local.LocalSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ground truth from the fleet's audit logs ({@code processor.jar --audit-log}): how many times each record was
 * handled, and which handled records belong to notices their worker never saw accepted by SNS (a worker killed
 * between handling a batch and publishing it leaves those — the ledger cannot know about them).
 */
final class AuditTruth {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Integer> handled = new HashMap<>();
    private final Map<Integer, Set<String>> unconfirmed = new HashMap<>();

    static AuditTruth read(LocalSystem system, int workers) {
        AuditTruth truth = new AuditTruth();
        for (int n = 1; n <= workers; n++) {
            truth.add(n, system.auditLog(n));
        }
        return truth;
    }

    private void add(int worker, Path file) {
        Map<String, String> noticeOf = new HashMap<>();
        Set<String> published = new HashSet<>();
        if (Files.exists(file)) {
            try {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    JsonNode node;
                    try {
                        node = JSON.readTree(lines.get(i));
                    } catch (IOException e) {
                        if (i == lines.size() - 1) {
                            break; // a worker killed mid-write leaves a partial last line
                        }
                        throw e;
                    }
                    if (node == null) {
                        continue;
                    }
                    if (node.has("key")) {
                        String key = node.get("key").asText();
                        handled.merge(key, 1, Integer::sum);
                        noticeOf.put(key, node.get("notice").asText());
                    } else {
                        published.add(node.get("published").asText());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Set<String> open = new HashSet<>();
        noticeOf.forEach((key, notice) -> {
            if (!published.contains(notice)) {
                open.add(key);
            }
        });
        unconfirmed.put(worker, open);
    }

    /** Record key → times handled, over the whole fleet. */
    Map<String, Integer> handled() {
        return handled;
    }

    /** Keys worker {@code n} handled whose notice it never saw published. */
    Set<String> unconfirmed(int n) {
        return unconfirmed.getOrDefault(n, Set.of());
    }
}
