package io.streamwreck.core.cli;

import io.streamwreck.core.config.StreamwreckConfig;
import picocli.CommandLine.Option;

import java.util.Optional;

/**
 * {@code --region}, as every streamwreck jar that calls AWS declares it ({@code @Mixin AwsOptions aws;}). The
 * environment default ({@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}) comes from {@link StreamwreckConfig}.
 */
public final class AwsOptions {

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region (default: $AWS_REGION, else the SDK's default chain).")
    String region;

    /** The flag's region, else the environment's; empty: the SDK's default chain decides. */
    public Optional<String> region(StreamwreckConfig config) {
        return region != null && !region.isBlank() ? Optional.of(region.trim()) : config.region();
    }
}
