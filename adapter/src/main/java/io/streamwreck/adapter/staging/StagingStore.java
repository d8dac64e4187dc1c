package io.streamwreck.adapter.staging;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every statement the adapter runs on its staging tables (see {@code db/migration}). Work is shared between
 * instances through leases: a file being ingested and a line being written are claimed by one instance until a
 * time; once that has passed another instance may take it over (the first one died). Claims use
 * {@code FOR UPDATE SKIP LOCKED}, so instances never wait for each other's claims.
 *
 * <p>Every method throws {@link StagingException} when the database fails or does not answer in time.
 */
public final class StagingStore {

    private final DataSource db;
    private final String instance;

    public StagingStore(DataSource db, String instance) {
        this.db = db;
        this.instance = instance;
    }

    public String instance() {
        return instance;
    }

    /** A file's row: {@code created} false when the object (bucket, key, ETag) was registered before. */
    public record Registration(long fileId, boolean created, String state, String stream) {
    }

    /** Registers an object for ingest, or finds its earlier registration. */
    public Registration register(String bucket, String key, String etag, String table, String stream) {
        String insert = "insert into files (bucket, object_key, etag, source_table, stream) values (?, ?, ?, ?, ?) "
                + "on conflict (bucket, object_key, etag) do nothing returning id";
        try (Connection c = db.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(insert)) {
                s.setString(1, bucket);
                s.setString(2, key);
                s.setString(3, etag);
                s.setString(4, table);
                s.setString(5, stream);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        return new Registration(r.getLong(1), true, "ingesting", stream);
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "select id, state, stream from files where bucket = ? and object_key = ? and etag = ?")) {
                s.setString(1, bucket);
                s.setString(2, key);
                s.setString(3, etag);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return new Registration(r.getLong(1), false, r.getString(2), r.getString(3));
                }
            }
        } catch (SQLException e) {
            throw failed("registering s3://" + bucket + "/" + key, e);
        }
    }

    /** A file this instance now ingests: lines up to {@code stagedThrough} were staged before. */
    public record FileClaim(long fileId, String bucket, String key, String etag, String stream, long stagedThrough) {
    }

    /** Claims the oldest file still to be ingested whose lease has passed (or that nobody claimed yet). */
    public Optional<FileClaim> claimFile(Duration lease) {
        String sql = "update files f set claimed_by = ?, claimed_until = now() + ? * interval '1 millisecond' "
                + "from (select id from files where state = 'ingesting' and (claimed_until is null or claimed_until < now()) "
                + "order by id limit 1 for update skip locked) c where f.id = c.id "
                + "returning f.id, f.bucket, f.object_key, f.etag, f.stream, f.staged_through";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, instance);
            s.setLong(2, lease.toMillis());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new FileClaim(r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getString(5), r.getLong(6)));
            }
        } catch (SQLException e) {
            throw failed("claiming a file to ingest", e);
        }
    }

    /** One line to stage. */
    public record Line(long number, byte[] data) {
    }

    /**
     * Stages a batch of a file's lines and moves its progress to {@code through} in one transaction, renewing the
     * lease. A line staged before (a resumed ingest, or two instances after a lease passed) is left as it was.
     */
    public void stage(FileClaim file, List<Line> lines, long through, Duration lease) {
        inTransaction("staging lines of file " + file.fileId(), c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "insert into lines (file_id, line, stream, data) values (?, ?, ?, ?) on conflict do nothing")) {
                for (Line line : lines) {
                    s.setLong(1, file.fileId());
                    s.setLong(2, line.number());
                    s.setString(3, file.stream());
                    s.setBytes(4, line.data());
                    s.addBatch();
                }
                s.executeBatch();
            }
            try (PreparedStatement s = c.prepareStatement("update files set staged_through = greatest(staged_through, ?), "
                    + "claimed_until = now() + ? * interval '1 millisecond' where id = ?")) {
                s.setLong(1, through);
                s.setLong(2, lease.toMillis());
                s.setLong(3, file.fileId());
                s.executeUpdate();
            }
        });
    }

    /** The file is fully staged: {@code lines} physical lines were read. */
    public void finish(FileClaim file, long lines) {
        update("update files set state = 'staged', lines = ?, staged_through = ?, staged_at = now(), claimed_by = null, "
                + "claimed_until = null where id = ?", "finishing file " + file.fileId(), lines, lines, file.fileId());
    }

    /** The object cannot be ingested (gone, unreadable): the file is marked failed with the reason. */
    public void fail(FileClaim file, String error) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "update files set state = 'failed', error = ?, claimed_by = null, claimed_until = null where id = ?")) {
            s.setString(1, error);
            s.setLong(2, file.fileId());
            s.executeUpdate();
        } catch (SQLException e) {
            throw failed("marking file " + file.fileId() + " failed", e);
        }
    }

    /** Gives a file's lease up at once, so another instance (or this one, later) resumes it. */
    public void release(FileClaim file) {
        update("update files set claimed_by = null, claimed_until = null where id = ? and state = 'ingesting'",
                "releasing file " + file.fileId(), file.fileId());
    }

    /** A staged line claimed for writing. */
    public record Claimed(long fileId, long line, String stream, byte[] data, int claims) {
        public String partitionKey() {
            return fileId + ":" + line;
        }
    }

    /** Claims up to {@code limit} unwritten lines whose lease has passed (or that nobody claimed yet), oldest first. */
    public List<Claimed> claimLines(int limit, Duration lease) {
        String sql = "update lines l set claimed_by = ?, claimed_until = now() + ? * interval '1 millisecond', claims = l.claims + 1 "
                + "from (select file_id, line from lines where written_at is null and (claimed_until is null or claimed_until < now()) "
                + "order by file_id, line limit ? for update skip locked) c where l.file_id = c.file_id and l.line = c.line "
                + "returning l.file_id, l.line, l.stream, l.data, l.claims";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, instance);
            s.setLong(2, lease.toMillis());
            s.setInt(3, limit);
            List<Claimed> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Claimed(r.getLong(1), r.getLong(2), r.getString(3), r.getBytes(4), r.getInt(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failed("claiming lines to write", e);
        }
    }

    /** What a put reported for a line. */
    public record Written(long fileId, long line, String key, int attempts) {
    }

    /** Records keys: each is appended to its line's keys (a line written again keeps every key it got). */
    public void recordWritten(List<Written> written) {
        if (written.isEmpty()) {
            return;
        }
        java.util.Set<String> lines = new java.util.HashSet<>();
        boolean distinct = written.stream().allMatch(w -> lines.add(w.fileId() + ":" + w.line()));
        if (distinct) {
            recordDistinct(written);
            return;
        }
        // The same line twice in one batch (claimed again while its first put was still out): one statement
        // per key, so that both keys are appended.
        inTransaction("recording " + written.size() + " keys", c -> {
            try (PreparedStatement s = c.prepareStatement("update lines set keys = array_append(keys, ?), "
                    + "put_attempts = put_attempts + ?, written_at = coalesce(written_at, now()), claimed_by = null, "
                    + "claimed_until = null where file_id = ? and line = ?")) {
                for (Written w : written) {
                    s.setString(1, w.key());
                    s.setInt(2, w.attempts());
                    s.setLong(3, w.fileId());
                    s.setLong(4, w.line());
                    s.addBatch();
                }
                s.executeBatch();
            }
        });
    }

    /** One statement for the whole batch: the lines are distinct, so each row is updated once. */
    private void recordDistinct(List<Written> written) {
        int n = written.size();
        Long[] files = new Long[n];
        Long[] numbers = new Long[n];
        String[] keys = new String[n];
        Integer[] attempts = new Integer[n];
        for (int i = 0; i < n; i++) {
            Written w = written.get(i);
            files[i] = w.fileId();
            numbers[i] = w.line();
            keys[i] = w.key();
            attempts[i] = w.attempts();
        }
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("update lines l set "
                + "keys = array_append(l.keys, v.k), put_attempts = l.put_attempts + v.a, written_at = coalesce(l.written_at, now()), "
                + "claimed_by = null, claimed_until = null from unnest(?::bigint[], ?::bigint[], ?::text[], ?::int[]) as v(f, n, k, a) "
                + "where l.file_id = v.f and l.line = v.n")) {
            s.setArray(1, c.createArrayOf("bigint", files));
            s.setArray(2, c.createArrayOf("bigint", numbers));
            s.setArray(3, c.createArrayOf("text", keys));
            s.setArray(4, c.createArrayOf("integer", attempts));
            s.executeUpdate();
        } catch (SQLException e) {
            throw failed("recording " + n + " keys", e);
        }
    }

    /** A line whose put failed goes back to unwritten at once; its failed attempts still count. */
    public void releaseLines(List<Written> failedPuts) {
        if (failedPuts.isEmpty()) {
            return;
        }
        inTransaction("releasing " + failedPuts.size() + " lines", c -> {
            try (PreparedStatement s = c.prepareStatement("update lines set put_attempts = put_attempts + ?, claimed_by = null, "
                    + "claimed_until = null where file_id = ? and line = ? and written_at is null")) {
                for (Written w : failedPuts) {
                    s.setInt(1, w.attempts());
                    s.setLong(2, w.fileId());
                    s.setLong(3, w.line());
                    s.addBatch();
                }
                s.executeBatch();
            }
        });
    }

    /** Work on one connection that commits as a whole or not at all. */
    @FunctionalInterface
    private interface TransactionWork {
        void run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction, rolled back if it fails; a failure is {@code failed(what, …)}. */
    private void inTransaction(String what, TransactionWork work) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    /** Staged lines that have no key yet, over all instances. */
    public long unwrittenCount() {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "select count(*) from lines where written_at is null"); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw failed("counting unwritten lines", e);
        }
    }

    /**
     * Unwritten lines this instance could still write: its own claims, and lines nobody holds a live lease on.
     * Lines another live instance is writing are that instance's to finish.
     */
    public long drainableCount() {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "select count(*) from lines where written_at is null and (claimed_until is null or claimed_until < now() or claimed_by = ?)")) {
            s.setString(1, instance);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw failed("counting lines left to drain", e);
        }
    }

    /** Per source table and stream: lines staged, written, still unwritten. */
    public record Backlog(String table, String stream, long staged, long written, long unwritten) {
    }

    /** What {@code GET /status} reports from the database. */
    public record Status(List<Backlog> backlog, long filesIngesting, long filesFailed, Optional<Instant> oldestUnwritten) {
    }

    public Status status() {
        String perTable = "select f.source_table, l.stream, count(*), count(l.written_at) from lines l join files f on f.id = l.file_id "
                + "group by f.source_table, l.stream order by 1, 2";
        try (Connection c = db.getConnection()) {
            List<Backlog> backlog = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(perTable); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long staged = r.getLong(3);
                    long written = r.getLong(4);
                    backlog.add(new Backlog(r.getString(1), r.getString(2), staged, written, staged - written));
                }
            }
            long ingesting;
            long failedFiles;
            try (PreparedStatement s = c.prepareStatement("select count(*) filter (where state = 'ingesting'), "
                    + "count(*) filter (where state = 'failed') from files"); ResultSet r = s.executeQuery()) {
                r.next();
                ingesting = r.getLong(1);
                failedFiles = r.getLong(2);
            }
            Optional<Instant> oldest;
            try (PreparedStatement s = c.prepareStatement("select min(staged_at) from lines where written_at is null");
                 ResultSet r = s.executeQuery()) {
                r.next();
                Timestamp t = r.getTimestamp(1);
                oldest = Optional.ofNullable(t).map(Timestamp::toInstant);
            }
            return new Status(backlog, ingesting, failedFiles, oldest);
        } catch (SQLException e) {
            throw failed("reading the status", e);
        }
    }

    /** Whether the database answers a trivial query. */
    public void ping() {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("select 1"); ResultSet r = s.executeQuery()) {
            r.next();
        } catch (SQLException e) {
            throw failed("pinging the database", e);
        }
    }

    /** A line's keys, for tests and the reconciliation. */
    public List<String> keysOf(long fileId, long line) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "select keys from lines where file_id = ? and line = ?")) {
            s.setLong(1, fileId);
            s.setLong(2, line);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return List.of();
                }
                Array keys = r.getArray(1);
                return List.of((String[]) keys.getArray());
            }
        } catch (SQLException e) {
            throw failed("reading the keys of " + fileId + ":" + line, e);
        }
    }

    private void update(String sql, String what, long... params) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setLong(i + 1, params[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    private static StagingException failed(String what, SQLException e) {
        return new StagingException(what + ": " + StagingDatabase.rootMessage(e), e);
    }
}
