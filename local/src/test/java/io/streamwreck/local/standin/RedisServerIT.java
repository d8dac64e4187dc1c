package io.streamwreck.local.standin;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.streamwreck.local.junit.WithLocalStack;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@WithLocalStack
class RedisServerIT {

    @Test
    void lettuceReachesTheServerAndPipelinedCountsReportDuplicates(LocalStack stack) throws Exception {
        RedisClient client = RedisClient.create(stack.endpoints().redis().toString());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");
            assertThat(connection.sync().info("server")).contains("redis_version:");

            // The ledger's idiom: one round trip of pipelined HINCRBY, 1 = first time, 2 = duplicate.
            String key = "{it:" + System.nanoTime() + "}:counts";
            RedisAsyncCommands<String, String> async = connection.async();
            connection.setAutoFlushCommands(false);
            List<RedisFuture<Long>> replies = new ArrayList<>();
            for (String field : List.of("a", "b", "a")) {
                replies.add(async.hincrby(key, field, 1));
            }
            connection.flushCommands();
            connection.setAutoFlushCommands(true);
            List<Long> counts = new ArrayList<>();
            for (RedisFuture<Long> reply : replies) {
                counts.add(reply.get(5, TimeUnit.SECONDS));
            }
            assertThat(counts).containsExactly(1L, 1L, 2L);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aPausedRedisStopsAnsweringAndAnswersAgainWhenResumed(LocalStack stack) throws Exception {
        int port = stack.endpoints().redis().getPort();
        stack.pauseRedis();
        try {
            assertThatThrownBy(() -> RedisServer.ping(port)).isInstanceOf(java.net.SocketTimeoutException.class);
        } finally {
            stack.resumeRedis();
        }
        assertThat(RedisServer.ping(port)).isEqualTo("+PONG");
    }
}
