package io.streamwreck.core.cli;

import io.streamwreck.core.config.StreamwreckConfig;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.Optional;

/**
 * The Kinesis endpoint override of the jars that read or write a stream, as a mixin:
 * {@link Endpoint} ({@code --endpoint}, where Kinesis is the only service, as in producer.jar) or
 * {@link KinesisEndpoint} ({@code --kinesis-endpoint}, where {@code --endpoint} means something else, as in
 * stream-checker.jar). An http(s) URL ({@link HttpUrlConverter}); the environment default
 * ({@code AWS_ENDPOINT_URL_KINESIS}, else {@code AWS_ENDPOINT_URL}) comes from {@link StreamwreckConfig}.
 */
public abstract class KinesisEndpointOption {

    static final String DESCRIPTION = "Kinesis endpoint (default: $AWS_ENDPOINT_URL_KINESIS, else $AWS_ENDPOINT_URL, else the region's).";

    KinesisEndpointOption() {
    }

    abstract URI flag();

    /** The flag's endpoint, else the environment's; empty: the region's. */
    public Optional<URI> endpoint(StreamwreckConfig config) {
        return flag() != null ? Optional.of(flag()) : config.endpoint(StreamwreckConfig.Service.KINESIS);
    }

    /** {@code --endpoint URL}. */
    public static final class Endpoint extends KinesisEndpointOption {
        @Option(names = "--endpoint", paramLabel = "URL", converter = HttpUrlConverter.class, description = DESCRIPTION)
        URI endpoint;

        @Override
        URI flag() {
            return endpoint;
        }
    }

    /** {@code --kinesis-endpoint URL}. */
    public static final class KinesisEndpoint extends KinesisEndpointOption {
        @Option(names = "--kinesis-endpoint", paramLabel = "URL", converter = HttpUrlConverter.class, description = DESCRIPTION)
        URI endpoint;

        @Override
        URI flag() {
            return endpoint;
        }
    }
}
