package io.streamwreck.ledger;

import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisReactiveCommandsImpl;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.protocol.PushHandler;

import java.time.Duration;

/**
 * A standalone {@link RedisClient} whose connections offer only {@code async()}, the one API the ledger uses.
 *
 * <p>Why: lettuce builds all three command APIs of every connection in its constructor — the synchronous one as a
 * {@link java.lang.reflect.Proxy} over the 500-odd methods of {@link RedisCommands}, the reactive one over
 * reactor — and a Lambda pays for generating and loading them during its cold start although nothing calls them.
 * Everything else (handshake, reconnects, timeouts, options, resources) is lettuce's own.
 */
final class AsyncOnlyRedisClient extends RedisClient {

    AsyncOnlyRedisClient(RedisURI uri) {
        // No resources given: the client creates its own and shuts them down with itself, as RedisClient.create does.
        super(null, uri);
    }

    @Override
    protected <K, V> StatefulRedisConnectionImpl<K, V> newStatefulRedisConnection(RedisChannelWriter channelWriter,
            PushHandler pushHandler, RedisCodec<K, V> codec, Duration timeout) {
        return new AsyncOnlyConnection<>(channelWriter, pushHandler, codec, timeout, this);
    }

    private static final class AsyncOnlyConnection<K, V> extends StatefulRedisConnectionImpl<K, V> {

        AsyncOnlyConnection(RedisChannelWriter writer, PushHandler pushHandler, RedisCodec<K, V> codec, Duration timeout,
                            AsyncOnlyRedisClient client) {
            super(writer, pushHandler, codec, timeout, client.getOptions().getJsonParser());
        }

        @Override
        protected RedisCommands<K, V> newRedisSyncCommandsImpl() {
            return null;
        }

        @Override
        protected RedisReactiveCommandsImpl<K, V> newRedisReactiveCommandsImpl() {
            return null;
        }

        @Override
        public RedisCommands<K, V> sync() {
            throw new UnsupportedOperationException("the ledger's connections offer async() only");
        }

        @Override
        public RedisReactiveCommands<K, V> reactive() {
            throw new UnsupportedOperationException("the ledger's connections offer async() only");
        }
    }
}
