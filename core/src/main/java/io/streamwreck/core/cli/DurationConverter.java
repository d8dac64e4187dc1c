package io.streamwreck.core.cli;

import io.streamwreck.core.config.Durations;
import picocli.CommandLine.ITypeConverter;

import java.time.Duration;

/**
 * A {@link Duration} option, spelt as {@link Durations} reads it ({@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 48h}, {@code 2d}, {@code PT48H}): {@code @Option(…, converter = DurationConverter.class) Duration d}.
 * A bad value is a usage error naming the option ({@code --settle: "soon" is not a duration; …}, exit 2).
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw OptionValueException.after(e.getMessage());
        }
    }
}
