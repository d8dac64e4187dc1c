package io.streamwreck.ledger;

import io.streamwreck.core.RecordKey;
import io.streamwreck.local.standin.KinesisLocalSequenceNumbers;
import io.streamwreck.local.standin.RedisCluster;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many freshly opened cluster ledgers, each of whose pipelining connections meets every node for the first
 * time, recording and classifying concurrently while another process keeps a core busy: not one command may
 * wait for a flush that never comes (lettuce issue #2420), so not one {@link LedgerUnavailableException}.
 * The cluster is this test's own (only Redis is needed, not the whole local stack).
 */
class ClusterStressIT {

    private static final int LEDGERS = Integer.getInteger("stress.ledgers", 2_000);
    private static final int THREADS = 8;
    private static final int SHARDS = 3;      // three hash tags: usually more than one node per ledger
    private static final int KEYS = 12;

    @Test
    void freshLedgersNeverTimeOut() throws Exception {
        try (RedisCluster cluster = RedisCluster.start(Path.of("target", "redis-stress-" + System.nanoTime()))) {
            run(cluster.nodeUris().get(0).toString());
        }
    }

    private static void run(String url) throws Exception {
        String run = "stress-" + System.nanoTime();
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        AtomicInteger checked = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (CpuHog hog = CpuHog.start()) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < LEDGERS; i++) {
                int n = i;
                tasks.add(pool.submit(() -> {
                    try {
                        checked.addAndGet(useFreshLedger(url, new Scope(run + "-" + n, "app"), n));
                    } catch (LedgerUnavailableException e) {
                        failures.computeIfAbsent(LedgerConnection.rootMessage(e), k -> new AtomicInteger()).incrementAndGet();
                    }
                }));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
            assertThat(hog.isAlive()).as("the CPU hog ran throughout").isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures).as("LedgerUnavailable by cause, over " + LEDGERS + " fresh ledgers").isEmpty();
        assertThat(checked.get()).isEqualTo(LEDGERS * SHARDS * KEYS);
    }

    /** Opens a ledger, records one notice per shard, classifies every key, checks each answer; returns the keys checked. */
    private static int useFreshLedger(String url, Scope scope, int n) {
        try (RedisLedger ledger = RedisLedger.connect(url, true, LedgerContract.TTL)) {
            List<RecordKey> asked = new ArrayList<>();
            List<Classification> expected = new ArrayList<>();
            for (int s = 0; s < SHARDS; s++) {
                KinesisLocalSequenceNumbers shard = LedgerContract.shard(s + n % 5);
                List<RecordKey> delivered = LedgerContract.keys(shard, 0, KEYS - 1);
                List<RecordKey> processed = delivered.subList(0, KEYS - 2);      // the last delivered one is skipped
                ledger.record(Notices.of(scope, delivered, processed));
                asked.addAll(delivered);
                asked.add(RecordKey.of(shard.shardId(), shard.record(KEYS, 100)));   // never delivered
                for (int k = 0; k < KEYS - 2; k++) {
                    expected.add(Classification.PROCESSED);
                }
                expected.add(Classification.SKIPPED);
                expected.add(Classification.UNDELIVERED);
            }
            List<KeyStatus> statuses = ledger.classify(scope, asked);
            assertThat(statuses).extracting(KeyStatus::classification).containsExactlyElementsOf(expected);
            return statuses.size();
        }
    }
}
