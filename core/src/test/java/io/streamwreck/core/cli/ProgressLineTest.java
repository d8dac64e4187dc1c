package io.streamwreck.core.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressLineTest {

    @Test
    void aShownLineCountsRecordsWithTheTaskAndTheExtraText() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ProgressLine line = ProgressLine.shownOn(new PrintStream(bytes, true, StandardCharsets.UTF_8), "writing", 10)) {
            assertThat(line.shown()).isTrue();
            line.update(7, " retried 1 failed 2");
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("writing", "7/10", " rec", "retried 1 failed 2");
    }

    @Test
    void aHiddenLineWritesNothing() {
        ProgressLine line = ProgressLine.create(false, System.err, "scanning", -1);
        assertThat(line.shown()).isFalse();
        line.update(5, "x");
        line.close();
    }
}
