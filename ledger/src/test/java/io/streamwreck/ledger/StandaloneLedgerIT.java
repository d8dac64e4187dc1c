package io.streamwreck.ledger;

import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@WithLocalStack
class StandaloneLedgerIT extends LedgerContract {

    private static RedisLedger ledger;
    private static URI redis;

    @BeforeAll
    static void connect(LocalStack stack) {
        redis = stack.endpoints().redis();
        ledger = RedisLedger.connect(redis.toString(), false, TTL);
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
        return List.of(redis);
    }

    @Test
    void anUnreachableLedgerIsReportedNotSwallowed() {
        assertThatThrownBy(() -> RedisLedger.connect("redis://127.0.0.1:1", false, Duration.ofHours(1)))
                .isInstanceOf(LedgerUnavailableException.class)
                .hasMessageContaining("redis://127.0.0.1:1");
        assertThat(ledger.ping()).isTrue();
    }
}
