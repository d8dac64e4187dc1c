package io.streamwreck.ledger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.streamwreck.core.RecordKey;
import io.streamwreck.local.standin.RedisCluster;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A master of the ledger's Redis Cluster crashes mid-run and its replica takes over: notices keep being
 * recorded (a caller that gets {@link LedgerUnavailableException} retries, as the notified Lambda does), none
 * is lost or counted twice, and the ledger answers lookups again within a bound that follows from the cluster's
 * node timeout. The cluster is this test's own: failing it over must not disturb other tests.
 */
class ClusterFailoverIT {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final int WRITERS = 4;
    private static final int SHARDS = 12;          // spread over the three masters
    private static final int KEYS_PER_NOTICE = 50;
    /** The retry pause of a caller whose notice failed (the notified Lambda's retry, shortened). */
    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    @Test
    void noticesSurviveAFailoverAndLookupsAnswerAgainSoon() throws Exception {
        try (RedisCluster cluster = RedisCluster.start(Path.of("target", "redis-failover-" + System.nanoTime()));
             RedisLedger ledger = RedisLedger.connect(cluster.nodeUris().get(0).toString(), true, LedgerContract.TTL, COMMAND_TIMEOUT)) {
            // Detection (node timeout), failure agreement and election (about one more), then the ledger's
            // topology refresh and one command timeout for a command caught in the switch.
            Duration bound = cluster.nodeTimeout().multipliedBy(3).plus(LedgerConnection.TOPOLOGY_REFRESH_INTERVAL).plus(COMMAND_TIMEOUT);
            Scope scope = new Scope("failover-" + System.nanoTime(), "app");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger recorded = new AtomicInteger();
            AtomicInteger retries = new AtomicInteger();
            ConcurrentLinkedQueue<String> retryCauses = new ConcurrentLinkedQueue<>();
            ConcurrentHashMap<Integer, Integer> noticesPerShard = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            try {
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    writers.add(pool.submit(() -> {
                        for (int j = 0; !stop.get(); j++) {
                            for (int s = writer; s < SHARDS; s += WRITERS) {
                                List<RecordKey> keys = LedgerContract.keys(LedgerContract.shard(s), j * KEYS_PER_NOTICE, KEYS_PER_NOTICE);
                                var notice = Notices.of(scope, keys, keys);
                                while (true) {
                                    try {
                                        ledger.record(notice);
                                        break;
                                    } catch (LedgerUnavailableException e) {
                                        retries.incrementAndGet();
                                        retryCauses.add(LedgerConnection.rootMessage(e));
                                        LockSupport.parkNanos(RETRY_PAUSE_NANOS);
                                    }
                                }
                                noticesPerShard.merge(s, 1, Integer::sum);
                                recorded.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> recorded.get() >= 60);

                URI victim = busiestMaster(cluster.nodeUris());
                long killed = System.nanoTime();
                URI promoted = cluster.killMaster(victim, Duration.ofSeconds(60));
                long promotedAfter = System.nanoTime() - killed;

                // Lookups on every shard (so also on the failed master's slots) answer again within the bound.
                List<RecordKey> probe = IntStream.range(0, SHARDS)
                        .mapToObj(s -> LedgerContract.keys(LedgerContract.shard(s), 0, 1).get(0)).toList();
                await().atMost(bound.minusNanos(System.nanoTime() - killed)).pollInterval(Duration.ofMillis(20))
                        .ignoreException(LedgerUnavailableException.class)
                        .until(() -> ledger.classify(scope, probe).size() == SHARDS);
                long answeredAfter = System.nanoTime() - killed;

                int atRecovery = recorded.get();
                await().atMost(Duration.ofSeconds(30)).until(() -> recorded.get() >= atRecovery + 60);
                stop.set(true);
                for (Future<?> f : writers) {
                    f.get(COMMAND_TIMEOUT.toMillis() * 10, TimeUnit.MILLISECONDS);
                }
                System.out.printf("failover: %s killed, %s promoted after %d ms, lookups answered after %d ms (bound %d ms); "
                                + "%d notices recorded, %d retries: %s%n", victim, promoted, promotedAfter / 1_000_000,
                        answeredAfter / 1_000_000, bound.toMillis(), recorded.get(), retries.get(),
                        retryCauses.stream().distinct().limit(5).toList());
            } finally {
                stop.set(true);
                pool.shutdownNow();
            }

            // Every notice recorded exactly once: every key processed, none twice, none lost.
            for (int s = 0; s < SHARDS; s++) {
                int notices = noticesPerShard.getOrDefault(s, 0);
                List<RecordKey> all = LedgerContract.keys(LedgerContract.shard(s), 0, notices * KEYS_PER_NOTICE);
                List<RecordKey> after = LedgerContract.keys(LedgerContract.shard(s), notices * KEYS_PER_NOTICE, KEYS_PER_NOTICE);
                List<KeyStatus> statuses = ledger.classify(scope, all);
                long wrong = statuses.stream().filter(k -> k.classification() != Classification.PROCESSED || k.count() != 1).count();
                if (wrong > 0) {
                    System.out.println(diagnose(cluster, scope, s, notices, statuses));
                }
                assertThat(wrong).as("shard %d: keys not processed exactly once, of %d", s, all.size()).isZero();
                assertThat(ledger.classify(scope, after)).as("shard %d, never recorded", s)
                        .allMatch(k -> k.classification() == Classification.UNDELIVERED);
            }
            assertThat(ledger.shards(scope)).hasSize(SHARDS);
        }
    }

    /**
     * After a graceful switch-over the ledger still routes by the old topology: the old master (now a replica)
     * answers MOVED. The redirected lookups must be sent at once — with auto-flush off on a cluster connection,
     * lettuce writes them to the new master's connection and nothing flushes them (before the lanes: a timeout).
     */
    @Test
    void lookupsFollowASwitchOverWithoutATimeout() {
        try (RedisCluster cluster = RedisCluster.start(Path.of("target", "redis-switchover-" + System.nanoTime()));
             RedisLedger ledger = RedisLedger.connect(cluster.nodeUris().get(0).toString(), true, LedgerContract.TTL, COMMAND_TIMEOUT)) {
            Scope scope = new Scope("switchover-" + System.nanoTime(), "app");
            List<RecordKey> all = new ArrayList<>();
            for (int s = 0; s < SHARDS; s++) {
                List<RecordKey> keys = LedgerContract.keys(LedgerContract.shard(s), 0, 200);
                ledger.record(Notices.of(scope, keys, keys));
                all.addAll(keys);
            }
            assertThat(ledger.classify(scope, all)).allMatch(k -> k.classification() == Classification.PROCESSED);

            cluster.switchOver(busiestMaster(cluster.nodeUris()), Duration.ofSeconds(30));

            assertThat(ledger.classify(scope, all)).allMatch(k -> k.classification() == Classification.PROCESSED && k.count() == 1);
            List<RecordKey> more = LedgerContract.keys(LedgerContract.shard(0), 200, 100);
            ledger.record(Notices.of(scope, more, more));
            assertThat(ledger.classify(scope, more)).allMatch(k -> k.classification() == Classification.PROCESSED);
        }
    }

    /** Which notices of the shard are missing, and where the shard's keys are: for whoever meets a loss. */
    private static String diagnose(RedisCluster cluster, Scope scope, int shard, int notices, List<KeyStatus> statuses) {
        StringBuilder out = new StringBuilder("LOSS shard " + shard + " of " + scope + ": notices not processed exactly once:");
        for (int n = 0; n < notices; n++) {
            KeyStatus first = statuses.get(n * KEYS_PER_NOTICE);
            if (first.classification() != Classification.PROCESSED || first.count() != 1) {
                out.append(' ').append(n).append('=').append(first.classification()).append('/').append(first.count());
            }
        }
        String shardId = LedgerContract.shard(shard).shardId();
        byte[] meta = LedgerLayout.metaKey(scope, shardId);
        out.append("\nslot ").append(io.lettuce.core.cluster.SlotHash.getSlot(meta));
        boolean topologyShown = false;
        for (URI node : cluster.allNodeUris()) {
            RedisClient client = RedisClient.create(node.toString());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                String pattern = new String(meta, java.nio.charset.StandardCharsets.UTF_8).replace(":m", ":*");
                out.append("\n").append(node).append(' ').append(c.sync().role().get(0)).append(" dbsize=")
                        .append(c.sync().dbsize()).append(" shard keys=").append(c.sync().keys(pattern).size());
                if (!topologyShown) {
                    out.append("\n").append(c.sync().clusterNodes());
                    topologyShown = true;
                }
            } catch (RuntimeException e) {
                out.append("\n").append(node).append(" unreachable: ").append(e.getMessage());
            } finally {
                client.shutdown();
            }
        }
        return out.toString();
    }

    /** The master holding the most keys, so that the failover surely hits shards being written. */
    private static URI busiestMaster(List<URI> masters) {
        return masters.stream().max(Comparator.comparingLong(ClusterFailoverIT::dbSize)).orElseThrow();
    }

    private static long dbSize(URI node) {
        RedisClient client = RedisClient.create(node.toString());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().dbsize();
        } finally {
            client.shutdown();
        }
    }
}
