package io.streamwreck.adapter;

import io.streamwreck.adapter.forward.KinesisForwarder;
import io.streamwreck.adapter.http.WebhookBodies.Wanted;
import io.streamwreck.adapter.http.WebhookException;
import io.streamwreck.adapter.ingest.Ingester;
import io.streamwreck.adapter.staging.StagingException;
import io.streamwreck.adapter.staging.StagingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The adapter's behaviour behind its HTTP API: registering objects to ingest, status, readiness, maintenance and
 * the graceful drain. Ingest and writing run in {@link Ingester} and {@link KinesisForwarder}; the state is in
 * the staging database ({@link StagingStore}).
 */
public final class AdapterService {

    private static final Logger log = LoggerFactory.getLogger(AdapterService.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final StagingStore store;
    private final S3Client s3;
    private final KinesisAsyncClient kinesis;
    private final TableRoutes routes;
    private final Optional<Path> maintenanceFlag;
    private final Ingester ingester;
    private final KinesisForwarder forwarder;
    private volatile boolean accepting = true;
    private volatile boolean draining;

    public AdapterService(StagingStore store, S3Client s3, KinesisAsyncClient kinesis, TableRoutes routes,
                          Optional<Path> maintenanceFlag, Ingester ingester, KinesisForwarder forwarder) {
        this.store = store;
        this.s3 = s3;
        this.kinesis = kinesis;
        this.routes = routes;
        this.maintenanceFlag = maintenanceFlag;
        this.ingester = ingester;
        this.forwarder = forwarder;
    }

    public void start() {
        ingester.start();
        forwarder.start();
    }

    public TableRoutes routes() {
        return routes;
    }

    public boolean inMaintenance() {
        return maintenanceFlag.map(Files::exists).orElse(false);
    }

    /** One registered object, as {@code POST /ingest} answers it. */
    public record Registered(long ingestId, String table, String stream, String s3path, String etag, boolean duplicate, String state) {
    }

    /**
     * Registers each object (HEAD for its ETag, then a row per (bucket, key, ETag)); its ingest runs in the
     * background.
     *
     * @throws WebhookException 503 in maintenance, while draining or when S3 or the database does not answer;
     *                          422 when an object does not exist
     */
    public List<Registered> register(List<Wanted> wanted) {
        if (!accepting) {
            throw new WebhookException(503, "ShuttingDown", "this instance is shutting down and accepts no new files; send it to another one");
        }
        if (inMaintenance()) {
            throw new WebhookException(503, "Maintenance", "down for maintenance (" + maintenanceFlag.get()
                    + " exists); staged records are still being written");
        }
        List<Registered> out = new ArrayList<>();
        for (Wanted w : wanted) {
            HeadObjectResponse head;
            try {
                head = s3.headObject(b -> b.bucket(w.object().bucket()).key(w.object().key()));
            } catch (NoSuchKeyException | NoSuchBucketException e) {
                throw new WebhookException(422, "NoSuchObject", w.object() + " does not exist");
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    throw new WebhookException(422, "NoSuchObject", w.object() + " does not exist");
                }
                if (e.statusCode() == 403) {
                    throw new WebhookException(422, "AccessDenied", "the adapter may not read " + w.object());
                }
                throw new WebhookException(503, "S3Unavailable", "S3 did not answer HEAD " + w.object() + ": " + e.getMessage());
            } catch (SdkException e) {
                throw new WebhookException(503, "S3Unavailable", "S3 did not answer HEAD " + w.object() + ": " + e.getMessage());
            }
            String etag = stripQuotes(head.eTag());
            StagingStore.Registration r;
            try {
                r = store.register(w.object().bucket(), w.object().key(), etag, w.table(), w.stream());
            } catch (StagingException e) {
                throw new WebhookException(503, "DatabaseUnavailable", "the staging database did not answer: " + e.getMessage());
            }
            out.add(new Registered(r.fileId(), w.table(), r.stream(), w.object().toString(), etag, !r.created(), r.state()));
        }
        ingester.wakeUp();
        return out;
    }

    static String stripQuotes(String etag) {
        if (etag == null) {
            return "";
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    /** {@code GET /status}. */
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Instance", store.instance());
        out.put("Accepting", accepting && !inMaintenance());
        out.put("Maintenance", inMaintenance());
        out.put("Draining", draining);
        StagingStore.Status s;
        try {
            s = store.status();
        } catch (StagingException e) {
            throw new WebhookException(503, "DatabaseUnavailable", "the staging database did not answer: " + e.getMessage());
        }
        List<Map<String, Object>> tables = new ArrayList<>();
        for (StagingStore.Backlog b : s.backlog()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("Table", b.table());
            t.put("Stream", b.stream());
            t.put("Staged", b.staged());
            t.put("Written", b.written());
            t.put("Enqueued", b.unwritten());
            tables.add(t);
        }
        out.put("Tables", tables);
        out.put("FilesIngesting", s.filesIngesting());
        out.put("FilesFailed", s.filesFailed());
        out.put("OldestPendingAgeSeconds", s.oldestUnwritten()
                .map(t -> Math.max(0, Duration.between(t, Instant.now()).toMillis()) / 1000.0).orElse(null));
        Map<String, Object> ingest = new LinkedHashMap<>();
        ingest.put("Busy", ingester.busy());
        ingest.put("FilesStaged", ingester.filesStaged());
        ingest.put("LinesStaged", ingester.linesStaged());
        ingest.put("FilesFailed", ingester.filesFailed());
        out.put("Ingest", ingest);
        Map<String, Object> writer = new LinkedHashMap<>();
        writer.put("Claimed", forwarder.claimed());
        writer.put("Written", forwarder.written());
        writer.put("InFlight", forwarder.inFlight());
        writer.put("FailedPuts", forwarder.failedPuts());
        writer.put("RetriedPuts", forwarder.retriedPuts());
        writer.put("LastError", forwarder.lastError());
        out.put("Writer", writer);
        return out;
    }

    /** {@code GET /_ready}: whether the database and every configured stream answer; {@code Ready} false otherwise. */
    public Map<String, Object> readiness() {
        Map<String, Object> out = new LinkedHashMap<>();
        boolean ready = true;
        try {
            store.ping();
            out.put("Database", "ok");
        } catch (StagingException e) {
            out.put("Database", e.getMessage());
            ready = false;
        }
        Map<String, String> streams = new LinkedHashMap<>();
        for (String stream : new java.util.LinkedHashSet<>(routes.asMap().values())) {
            try {
                kinesis.describeStreamSummary(b -> b.streamName(stream)).get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                streams.put(stream, "ok");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                streams.put(stream, "interrupted");
                ready = false;
            } catch (Exception e) {
                streams.put(stream, e instanceof java.util.concurrent.TimeoutException ? "no answer within " + PROBE_TIMEOUT.toSeconds() + " s"
                        : String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
                ready = false;
            }
        }
        out.put("Kinesis", streams);
        out.put("Ready", ready && accepting && !inMaintenance());
        return out;
    }

    /** How a drain ended. */
    public record Drained(boolean complete, long stillStaged, Duration took) {
    }

    /**
     * Stops accepting files, finishes the files this instance is ingesting, and writes staged lines until none is
     * left that this instance could write, or {@code timeout}. What is left stays staged for the next start.
     */
    public Drained drain(Duration timeout) throws InterruptedException {
        long began = System.nanoTime();
        accepting = false;
        draining = true;
        log.info("draining (at most {} s)", timeout.toSeconds());
        boolean ingested = ingester.finish(timeout);
        Duration left = timeout.minusNanos(System.nanoTime() - began);
        boolean written = !left.isNegative() && forwarder.drain(left, () -> ingester.busy() > 0);
        forwarder.close();
        ingester.close();
        long staged;
        try {
            staged = store.unwrittenCount();
        } catch (StagingException e) {
            staged = -1;
        }
        return new Drained(ingested && written, staged, Duration.ofNanos(System.nanoTime() - began));
    }

    /** Stops the workers without draining (for tests and failed starts). */
    public void close() {
        accepting = false;
        forwarder.close();
        ingester.close();
    }
}
