package io.streamwreck.adapter.ingest;

import io.streamwreck.adapter.staging.StagingException;
import io.streamwreck.adapter.staging.StagingStore;
import io.streamwreck.adapter.staging.StagingStore.FileClaim;
import io.streamwreck.core.retry.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ingest workers: each claims a registered file (a lease in the files table), streams its S3 object and
 * stages its lines in batches. A batch commits together with the file's progress, so an ingest cut short — the
 * process killed, S3 or the database failing — resumes after the last committed batch, here or on another
 * instance once the lease has passed, and a line is staged once (the table's key is (file, line)).
 */
public final class Ingester implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Ingester.class);

    /** How the ingest workers behave. */
    public record Settings(int workers, int batchLines, Duration lease, Duration idlePoll) {
    }

    private final S3Client s3;
    private final StagingStore store;
    private final Settings settings;
    private final List<Thread> threads = new ArrayList<>();
    private final Backoff backoff = Backoff.of(Duration.ofMillis(200), Duration.ofSeconds(5));
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicLong filesStaged = new AtomicLong();
    private final AtomicLong linesStaged = new AtomicLong();
    private final AtomicLong filesFailed = new AtomicLong();
    private volatile boolean stopClaiming;
    private volatile boolean stopped;

    public Ingester(S3Client s3, StagingStore store, Settings settings) {
        this.s3 = s3;
        this.store = store;
        this.settings = settings;
    }

    public void start() {
        for (int i = 0; i < settings.workers(); i++) {
            Thread t = new Thread(this::work, "adapter-ingest-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** A file was registered: a waiting worker looks at once instead of at its next poll. */
    public void wakeUp() {
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Files being ingested by this instance right now. */
    public int busy() {
        return busy.get();
    }

    public long filesStaged() {
        return filesStaged.get();
    }

    public long linesStaged() {
        return linesStaged.get();
    }

    public long filesFailed() {
        return filesFailed.get();
    }

    /**
     * Claims no more files and waits until the ones being ingested are staged.
     *
     * @return true if every file this instance was ingesting was staged within {@code timeout}
     */
    public boolean finish(Duration timeout) throws InterruptedException {
        stopClaiming = true;
        wakeUp();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        return threads.stream().noneMatch(Thread::isAlive);
    }

    private void work() {
        int failures = 0;
        while (!stopClaiming && !stopped) {
            try {
                var claim = store.claimFile(settings.lease());
                if (claim.isEmpty()) {
                    failures = 0;
                    idle();
                    continue;
                }
                busy.incrementAndGet();
                try {
                    ingest(claim.get());
                } finally {
                    busy.decrementAndGet();
                }
                failures = 0;
            } catch (StagingException | SdkException | IOException e) {
                failures++;
                log.warn("ingest: {} (retrying)", e.getMessage());
                pause(backoff.delay(failures));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void ingest(FileClaim file) throws IOException, InterruptedException {
        log.info("ingesting s3://{}/{} (file {}, from line {})", file.bucket(), file.key(), file.fileId(), file.stagedThrough() + 1);
        InputStream object;
        try {
            // If-Match: the version registered (its ETag), never a newer object under the same key.
            object = s3.getObject(b -> b.bucket(file.bucket()).key(file.key()).ifMatch(quoted(file.etag())));
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            fail(file, "the object is gone: " + e.awsErrorDetails().errorMessage());
            return;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                fail(file, "the object was replaced (its ETag is no longer " + file.etag() + ")");
                return;
            }
            store.release(file);
            throw e;
        }
        long through = file.stagedThrough();
        try (LineReader lines = LineReader.of(object)) {
            List<StagingStore.Line> batch = new ArrayList<>(settings.batchLines());
            byte[] line;
            while ((line = lines.next()) != null) {
                if (stopped) {
                    throw new InterruptedException("stopped");
                }
                long n = lines.number();
                if (n <= through || line.length == 0) {
                    continue;
                }
                batch.add(new StagingStore.Line(n, line));
                if (batch.size() >= settings.batchLines()) {
                    store.stage(file, batch, n, settings.lease());
                    linesStaged.addAndGet(batch.size());
                    through = n;
                    batch.clear();
                }
            }
            store.stage(file, batch, lines.number(), settings.lease());
            linesStaged.addAndGet(batch.size());
            store.finish(file, lines.number());
            filesStaged.incrementAndGet();
            log.info("staged s3://{}/{} (file {}): {} lines", file.bucket(), file.key(), file.fileId(), lines.number());
        } catch (java.util.zip.ZipException e) {
            fail(file, "the object is not valid gzip: " + e.getMessage());
        } catch (IOException | SdkException e) {
            // A broken download: what was committed stays; the rest is read again (here or elsewhere).
            releaseQuietly(file);
            throw e;
        }
    }

    private void fail(FileClaim file, String error) {
        log.warn("cannot ingest s3://{}/{} (file {}): {}", file.bucket(), file.key(), file.fileId(), error);
        store.fail(file, error);
        filesFailed.incrementAndGet();
    }

    private void releaseQuietly(FileClaim file) {
        try {
            store.release(file);
        } catch (StagingException e) {
            log.debug("releasing file {}: {} (its lease runs out instead)", file.fileId(), e.getMessage());
        }
    }

    static String quoted(String etag) {
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }

    private void idle() throws InterruptedException {
        lock.lock();
        try {
            if (!stopClaiming && !stopped) {
                wake.await(settings.idlePoll().toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private void pause(Duration d) {
        try {
            lock.lock();
            try {
                if (!stopped) {
                    wake.await(d.toMillis(), TimeUnit.MILLISECONDS);
                }
            } finally {
                lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops at once: a file being ingested keeps what was committed and its lease runs out. */
    @Override
    public void close() {
        stopped = true;
        stopClaiming = true;
        wakeUp();
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
