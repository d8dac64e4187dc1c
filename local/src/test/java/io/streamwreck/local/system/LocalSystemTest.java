package io.streamwreck.local.system;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LocalSystemTest {

    @Test
    void theJsonReportIsAskedForEitherWay() {
        assertThat(LocalSystem.wantsJson(List.of("--format", "json"))).isTrue();
        assertThat(LocalSystem.wantsJson(List.of("--format=json"))).isTrue();
        assertThat(LocalSystem.wantsJson(List.of("--settle", "5s", "--format=JSON"))).isTrue();
        assertThat(LocalSystem.wantsJson(List.of("--format=json", "--format", "text"))).isFalse();
        assertThat(LocalSystem.wantsJson(List.of("--format=text"))).isFalse();
        assertThat(LocalSystem.wantsJson(List.of())).isFalse();
        // A value that merely says json (an output file) is no format flag.
        assertThat(LocalSystem.wantsJson(List.of("--output", "json"))).isFalse();
    }

    @Test
    void leasesMustStayPutForOneLeaseTakerRunAndTheWorkersIntervals() {
        // KCL's taker runs every 2 x (failover + 25 ms); plus shard sync, poll interval and one read of the table.
        Duration defaults = LocalSystem.leaseStableWindow(List.of());
        assertThat(defaults).isEqualTo(Duration.ofMillis(2 * (2000 + 25) + 1000 + 200 + 250));
    }

    @Test
    void theWindowFollowsTheWorkersOverrides() {
        Duration longer = LocalSystem.leaseStableWindow(List.of("--failover-time", "10s", "--poll-interval=1s"));

        assertThat(longer).isEqualTo(Duration.ofMillis(2 * (10_000 + 25) + 1000 + 1000 + 250));
    }

    @Test
    void durationsAsTheProcessorReadsThem() {
        assertThat(LocalSystem.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(LocalSystem.parseDuration("3s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(LocalSystem.parseDuration("PT2S")).isEqualTo(Duration.ofSeconds(2));
    }
}
