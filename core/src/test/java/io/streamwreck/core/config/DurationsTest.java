package io.streamwreck.core.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class DurationsTest {

    static Stream<Arguments> validDurations() {
        return Stream.of(
                arguments("500ms", Duration.ofMillis(500)),
                arguments("30s", Duration.ofSeconds(30)),
                arguments("5m", Duration.ofMinutes(5)),
                arguments("48h", Duration.ofHours(48)),
                arguments("2d", Duration.ofDays(2)),
                arguments("PT48H", Duration.ofHours(48)),
                arguments("pt48h", Duration.ofHours(48)),
                arguments("P2D", Duration.ofDays(2)),
                arguments("PT1M30S", Duration.ofSeconds(90)),
                arguments("PT0.5S", Duration.ofMillis(500)),
                arguments("0s", Duration.ZERO),
                arguments(" 30s ", Duration.ofSeconds(30)),
                arguments("30S", Duration.ofSeconds(30)),
                arguments("5M", Duration.ofMinutes(5)),
                arguments("999999999999d", Duration.ofDays(999_999_999_999L)));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("validDurations")
    void parses(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"30", "s", "ms", "30x", "30 s", "1.5h", "-5m", "+5m", "5mm", "5min", "48 hours", "h48",
            "1000000000000s", "99999999999999999999s", "P", "PT", "PTxH", "P1Y", "-PT1H", "thirty seconds"})
    void rejectsWhatIsNotADurationSayingWhatIs(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + text + "\"")
                .hasMessageContaining("ms, s, m, h or d")
                .hasMessageContaining("PT48H");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  ", "\t"})
    void rejectsAMissingDuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a duration is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT-1H", "P-2D", "PT-0.001S"})
    void rejectsANegativeIsoDuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + text + "\" is negative");
    }
}
