package io.streamwreck.local.system;

import io.streamwreck.local.standin.AwsClients;
import io.streamwreck.local.standin.LocalStackException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The writer's half of {@code make run}: log files put into S3 (moto), announced to the adapter's webhook as the
 * seed's curl does ({@code POST /ingest {"table": …, "s3path": …}}), and followed in the adapter's staging table,
 * which says how many lines each file has and which key each line got in the stream.
 */
public final class AdapterLogFiles implements AutoCloseable {

    /** A file put into S3: where, and how many lines it has. */
    public record LogFile(String s3path, String key, int lines) {
    }

    /** A file as the staging table has it: its lines, those written, and every key they got (in line order). */
    public record Staged(String s3path, long lines, long written, List<String> keys) {
    }

    private static final Duration POLL = Duration.ofMillis(250);

    private final S3Client s3;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI adapter;
    private final String jdbcUrl;
    private final String table;

    /**
     * @param system a system started with {@link LocalSystem.Builder#adapter(boolean)}: the adapter's URL and
     *               database come from its environment ({@code ADAPTER_URL}, {@code ADAPTER_DATABASE_URL})
     */
    public AdapterLogFiles(LocalSystem system) {
        String url = system.environment().get("ADAPTER_URL");
        if (url == null) {
            throw new IllegalStateException("the system runs no adapter (LocalSystem.Builder#adapter)");
        }
        this.adapter = URI.create(url);
        this.jdbcUrl = system.environment().get("ADAPTER_DATABASE_URL");
        this.table = system.stream();
        this.s3 = AwsClients.s3(system.stack().endpoints().s3());
    }

    /** Puts {@code count} files of {@code lines} lines each into {@code bucket} (created), every second one gzipped. */
    public List<LogFile> put(String bucket, int count, int lines) {
        s3.createBucket(b -> b.bucket(bucket));
        List<LogFile> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            boolean gzip = i % 2 == 0;
            String name = "app-" + i + ".log" + (gzip ? ".gz" : "");
            String key = table + "/2026/12/04/" + name;
            byte[] body = content(name, lines, gzip);
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
            out.add(new LogFile("s3://" + bucket + "/" + key, key, lines));
        }
        return out;
    }

    /** The seed's webhook call for one file; anything but 202 fails the run. */
    public void announce(LogFile file) {
        String body = "{\"table\":\"" + table + "\",\"s3path\":\"" + file.s3path() + "\"}";
        HttpRequest request = HttpRequest.newBuilder(adapter.resolve("/ingest")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LocalStackException("the adapter did not answer POST /ingest: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted posting to the adapter");
        }
        if (answer.statusCode() != 202) {
            throw new LocalStackException("the adapter answered POST /ingest " + body + " with " + answer.statusCode() + ": " + answer.body());
        }
    }

    /** Waits until every file is staged whole and each of its lines has a key. */
    public Map<String, Staged> awaitWritten(List<LogFile> files, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Staged> staged = staged();
            boolean done = files.stream().allMatch(f -> {
                Staged s = staged.get(f.s3path());
                return s != null && s.lines() == f.lines() && s.written() == f.lines();
            });
            if (done) {
                return staged;
            }
            if (System.nanoTime() > deadline) {
                throw new LocalStackException("the adapter did not write every line in " + timeout.toSeconds() + " s: " + staged.values());
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted waiting for the adapter");
            }
        }
    }

    /** What the staging table holds now, by S3 path. */
    public Map<String, Staged> staged() {
        Map<String, Staged> out = new LinkedHashMap<>();
        String sql = "select f.bucket, f.object_key, l.keys from adapter.lines l join adapter.files f on f.id = l.file_id "
                + "order by f.id, l.line";
        try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement s = c.prepareStatement(sql);
             ResultSet r = s.executeQuery()) {
            Map<String, long[]> counts = new LinkedHashMap<>();
            Map<String, List<String>> keys = new LinkedHashMap<>();
            while (r.next()) {
                String path = "s3://" + r.getString(1) + "/" + r.getString(2);
                Array a = r.getArray(3);
                String[] lineKeys = (String[]) a.getArray();
                long[] n = counts.computeIfAbsent(path, p -> new long[2]);
                n[0]++;
                n[1] += lineKeys.length > 0 ? 1 : 0;
                keys.computeIfAbsent(path, p -> new ArrayList<>()).addAll(List.of(lineKeys));
            }
            counts.forEach((path, n) -> out.put(path, new Staged(path, n[0], n[1], keys.get(path))));
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return out; // the adapter has not created its tables yet
            }
            throw new LocalStackException("cannot read the adapter's staging table: " + e.getMessage());
        }
        return out;
    }

    /** The lines of one log file, JSON as an application would log orders. */
    static byte[] content(String file, int lines, boolean gzip) {
        StringBuilder text = new StringBuilder(lines * 72);
        for (int n = 1; n <= lines; n++) {
            text.append("{\"file\":\"").append(file).append("\",\"line\":").append(n).append(",\"order\":\"o-")
                    .append(n).append("\",\"amount\":").append(n % 997).append("}\n");
        }
        byte[] plain = text.toString().getBytes(StandardCharsets.UTF_8);
        if (!gzip) {
            return plain;
        }
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(zipped)) {
            z.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zipped.toByteArray();
    }

    @Override
    public void close() {
        s3.close();
    }
}
