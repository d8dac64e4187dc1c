package io.streamwreck.streamchecker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.Classification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Reads a JSON report ({@link JsonReport}) back into a {@link ScanReport}, for {@code merge}. A drifted key's arrival
 * comes back as the start of its bucket, which is all a merge needs: buckets only ever widen. A report written
 * before the timeline existed reads with an empty one.
 */
final class ReportFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportFile() {
    }

    /** Bad input: the file named, one line, exit 2. */
    static final class UnreadableReportException extends RuntimeException {
        UnreadableReportException(String message) {
            super(message);
        }
    }

    static ScanReport read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new UnreadableReportException(file + ": no such file");
        } catch (JsonProcessingException e) {
            throw new UnreadableReportException(file + ": not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UnreadableReportException(file + ": cannot read it (" + e.getMessage() + ")");
        }
        try {
            return report(root);
        } catch (RuntimeException e) {
            throw new UnreadableReportException(file + ": not a stream-checker JSON report (" + e.getMessage() + ")");
        }
    }

    private static ScanReport report(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        List<ShardSummary> shards = new ArrayList<>();
        for (JsonNode s : array(root, "Shards")) {
            shards.add(new ShardSummary(text(s, "ShardId"), "closed".equals(text(s, "State")), counts(s)));
        }
        Timeline timeline = root.has("Timeline") ? timeline(root.get("Timeline")) : Timeline.NONE;
        List<Long> starts = timeline.starts();
        JsonNode drifted = root.path("Timeline").path("DriftedBuckets");
        List<DriftedKey> keys = new ArrayList<>();
        int i = 0;
        for (JsonNode d : array(root, "Duplicated")) {
            keys.add(new DriftedKey(RecordKey.parse(text(d, "Key")), Classification.DUPLICATED, number(d, "Count"),
                    arrival(drifted.path("Duplicated").path(i++), starts)));
        }
        for (Classification c : List.of(Classification.SKIPPED, Classification.UNDELIVERED)) {
            String list = JsonReport.LISTS.get(c);
            i = 0;
            for (JsonNode k : array(root, list)) {
                if (!k.isTextual()) {
                    throw new IllegalArgumentException(list + " holds " + k + ", not a key");
                }
                keys.add(new DriftedKey(RecordKey.parse(k.asText()), c, 0, arrival(drifted.path(list).path(i++), starts)));
            }
        }
        Collections.sort(keys);
        JsonNode app = root.get("Application");
        JsonNode part = root.get("Part");
        if (part != null && !part.isNull() && !part.asText().matches("[0-9]{1,6}/[0-9]{1,6}(,[0-9]{1,6}/[0-9]{1,6})*")) {
            throw new IllegalArgumentException("\"Part\" is " + part + ", not i/N");
        }
        return new ScanReport(text(root, "Stream"), app == null || app.isNull() ? null : app.asText(),
                StartPosition.parse(text(root, "From")), Duration.parse(text(root, "Settle")),
                Instant.parse(text(root, "ScanStarted")), root.path("Seconds").asDouble(), shards, keys, timeline,
                part == null || part.isNull() ? null : part.asText(),
                root.path("Evidence").isTextual() ? root.get("Evidence").asText() : null);
    }

    private static Timeline timeline(JsonNode t) {
        NavigableMap<Long, Map<String, Counts>> cells = new TreeMap<>();
        for (JsonNode b : array(t, "Buckets")) {
            Map<String, Counts> shards = new TreeMap<>();
            for (JsonNode s : array(b, "Shards")) {
                shards.put(text(s, "ShardId"), counts(s));
            }
            cells.put(Instant.parse(text(b, "Start")).getEpochSecond(), Collections.unmodifiableMap(shards));
        }
        return new Timeline(Duration.parse(text(t, "Bucket")), t.path("Automatic").asBoolean(true),
                Collections.unmodifiableNavigableMap(cells));
    }

    private static Instant arrival(JsonNode index, List<Long> starts) {
        if (!index.isInt() || index.asInt() < 0 || index.asInt() >= starts.size()) {
            return null;
        }
        return Instant.ofEpochSecond(starts.get(index.asInt()));
    }

    private static Counts counts(JsonNode n) {
        return new Counts(number(n, "Scanned"), number(n, "Processed"), number(n, "Duplicated"), number(n, "Skipped"),
                number(n, "Undelivered"), number(n, "InFlight"), n.has("Pending") ? number(n, "Pending") : 0);
    }

    private static Iterable<JsonNode> array(JsonNode n, String field) {
        JsonNode a = n.get(field);
        if (a == null || !a.isArray()) {
            throw new IllegalArgumentException("no list \"" + field + "\"");
        }
        return a;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("no text \"" + field + "\"");
        }
        return v.asText();
    }

    private static long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong()) {
            throw new IllegalArgumentException("no number \"" + field + "\"");
        }
        return v.asLong();
    }
}
