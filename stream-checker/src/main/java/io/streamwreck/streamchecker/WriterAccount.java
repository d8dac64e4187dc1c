package io.streamwreck.streamchecker;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writer's side of the drift report, from the adapter's staging database (DESIGN.md "Writer-side classes"):
 * for the scanned stream, the staged lines that never got a key ({@code unwritten}), those that got two or more
 * ({@code written-twice}, every key listed), and the source (file, line) of each drifted record the adapter wrote.
 *
 * <p>A line staged less than the settle window before the scan started is not judged: like an in-flight
 * record, it may simply not have been written yet ({@code writerPending}).
 *
 * @param staged        lines staged for the stream and old enough to judge
 * @param writerPending lines staged within the settle window and not written yet
 * @param unwritten     the first unwritten lines (at most the limit); {@code unwrittenCount} counts them all
 * @param writtenTwice  the first lines written twice (at most the limit); {@code writtenTwiceCount} counts them all
 * @param sources       the source of each drifted key the adapter wrote, by key
 */
record WriterAccount(long staged, long writerPending, long unwrittenCount, List<Line> unwritten, long writtenTwiceCount,
                     List<Line> writtenTwice, Map<String, Line> sources) {

    /** One staged line: its object ({@code s3://bucket/key}), its line number, and every key it got. */
    record Line(String file, long line, List<String> keys) {
        String source() {
            return file + ":" + line;
        }
    }

    boolean drift() {
        return unwrittenCount > 0 || writtenTwiceCount > 0;
    }

    /**
     * Reads the account of {@code stream} from the adapter's database.
     *
     * @param jdbcUrl      {@code jdbc:postgresql://…} of the adapter's database (schema {@code adapter})
     * @param judgedBefore lines staged at or after this moment are pending, not unwritten
     * @param driftedKeys  the drifted keys of the scan, to name their sources
     * @param limit        how many unwritten and written-twice lines to list
     * @throws SQLException when the database cannot be read
     */
    static WriterAccount load(String jdbcUrl, String stream, Instant judgedBefore, List<String> driftedKeys, int limit) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            c.setReadOnly(true);
            long staged;
            long pending;
            long unwrittenCount;
            long twiceCount;
            try (PreparedStatement s = c.prepareStatement("select count(*) filter (where staged_at < ?), "
                    + "count(*) filter (where staged_at >= ? and cardinality(keys) = 0), "
                    + "count(*) filter (where staged_at < ? and cardinality(keys) = 0), count(*) filter (where cardinality(keys) > 1) "
                    + "from adapter.lines where stream = ?")) {
                Timestamp t = Timestamp.from(judgedBefore);
                s.setTimestamp(1, t);
                s.setTimestamp(2, t);
                s.setTimestamp(3, t);
                s.setString(4, stream);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    staged = r.getLong(1);
                    pending = r.getLong(2);
                    unwrittenCount = r.getLong(3);
                    twiceCount = r.getLong(4);
                }
            }
            List<Line> unwritten = lines(c, "l.stream = ? and l.staged_at < ? and cardinality(l.keys) = 0", stream, judgedBefore, limit);
            List<Line> twice = lines(c, "l.stream = ? and cardinality(l.keys) > 1 and l.staged_at < ?", stream, judgedBefore, limit);
            Map<String, Line> sources = new LinkedHashMap<>();
            if (!driftedKeys.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement("select k, 's3://' || f.bucket || '/' || f.object_key, l.line, l.keys "
                        + "from unnest(?::text[]) k join adapter.lines l on l.keys @> array[k] join adapter.files f on f.id = l.file_id")) {
                    s.setArray(1, c.createArrayOf("text", driftedKeys.toArray()));
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            sources.put(r.getString(1), new Line(r.getString(2), r.getLong(3), List.of((String[]) r.getArray(4).getArray())));
                        }
                    }
                }
            }
            return new WriterAccount(staged, pending, unwrittenCount, unwritten, twiceCount, twice, sources);
        }
    }

    private static List<Line> lines(Connection c, String where, String stream, Instant before, int limit) throws SQLException {
        List<Line> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select 's3://' || f.bucket || '/' || f.object_key, l.line, l.keys "
                + "from adapter.lines l join adapter.files f on f.id = l.file_id where " + where + " order by l.file_id, l.line limit ?")) {
            s.setString(1, stream);
            s.setTimestamp(2, Timestamp.from(before));
            s.setInt(3, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Line(r.getString(1), r.getLong(2), List.of((String[]) r.getArray(3).getArray())));
                }
            }
        }
        return out;
    }
}
