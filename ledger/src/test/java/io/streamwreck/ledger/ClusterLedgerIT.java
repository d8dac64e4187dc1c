package io.streamwreck.ledger;

import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.standin.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.net.URI;
import java.util.List;

/** The same contract on a real three-master Redis Cluster (ElastiCache cluster mode). */
@WithLocalStack
class ClusterLedgerIT extends LedgerContract {

    private static RedisLedger ledger;
    private static List<URI> nodes;

    @BeforeAll
    static void connect(LocalStack stack) {
        RedisCluster cluster = stack.redisCluster();
        nodes = cluster.nodeUris();
        ledger = RedisLedger.connect(nodes.get(0).toString(), true, TTL);
    }

    @AfterAll
    static void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    @Override
    RedisLedger ledger() {
        return ledger;
    }

    @Override
    List<URI> nodes() {
        return nodes;
    }
}
