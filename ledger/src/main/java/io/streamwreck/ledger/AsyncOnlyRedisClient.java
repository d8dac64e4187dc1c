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

import io.lettuce.core.event.Event;
import io.lettuce.core.event.EventBus;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A standalone {@link RedisClient} whose connections offer only {@code async()}, the one API the ledger uses, on
 * client resources without an event bus.
 *
 * <p>Why: lettuce builds all three command APIs of every connection in its constructor — the synchronous one as a
 * {@link java.lang.reflect.Proxy} over the 500-odd methods of {@link RedisCommands}, the reactive one over
 * reactor — and its default event bus is a reactor sink on a reactor scheduler; a Lambda pays for generating and
 * loading them during its cold start although nothing calls them. The event bus only carries connection and
 * latency events to subscribers, and lettuce itself subscribes to none (it only publishes): the ledger has none
 * either. Everything else (handshake, reconnects, timeouts, options, event loops, address resolution) is
 * lettuce's own default. The client owns its resources and shuts them down with itself, as
 * {@code RedisClient.create} does.
 */
final class AsyncOnlyRedisClient extends RedisClient {

    private final ClientResources resources;

    private AsyncOnlyRedisClient(ClientResources resources, RedisURI uri) {
        super(resources, uri);
        this.resources = resources;
    }

    static AsyncOnlyRedisClient forUri(RedisURI uri) {
        return new AsyncOnlyRedisClient(DefaultClientResources.builder().eventBus(NoEventBus.INSTANCE).build(), uri);
    }

    /** Lettuce leaves resources it was given alone: they are this client's own, so they go with it. */
    @Override
    public CompletableFuture<Void> shutdownAsync(long quietPeriod, long timeout, TimeUnit timeUnit) {
        return super.shutdownAsync(quietPeriod, timeout, timeUnit).handle((done, failure) -> failure)
                .thenCompose(failure -> {
                    CompletableFuture<Void> released = new CompletableFuture<>();
                    resources.shutdown(quietPeriod, timeout, timeUnit).addListener(f -> {
                        if (failure != null) {
                            released.completeExceptionally(failure);
                        } else if (f.isSuccess()) {
                            released.complete(null);
                        } else {
                            released.completeExceptionally(f.cause());
                        }
                    });
                    return released;
                });
    }

    /** Events go nowhere: nobody subscribes to them. */
    private enum NoEventBus implements EventBus {
        INSTANCE;

        @Override
        public Flux<Event> get() {
            return Flux.empty();
        }

        @Override
        public void publish(Event event) {
            // No subscribers.
        }
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
