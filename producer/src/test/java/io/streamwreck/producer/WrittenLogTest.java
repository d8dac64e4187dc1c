package io.streamwreck.producer;

import io.streamwreck.core.RecordKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WrittenLogTest {

    private static final String SEQ = "49591585917767627211020937568791696204996217827017883650";

    @TempDir
    Path dir;

    @Test
    void eachLineIsTheRecordIdATabAndTheShardQualifiedKey() throws Exception {
        Path file = dir.resolve("sub/written.log");
        try (WrittenLog log = WrittenLog.create(file)) {
            log.append("order-1", RecordKey.of("shardId-000000000003", SEQ));
            log.append("2", RecordKey.of("shardId-000000000000", "7"));
        }

        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .isEqualTo("order-1\tshardId-000000000003:" + SEQ + "\n2\tshardId-000000000000:7\n");
        assertThat(WrittenLog.read(file)).containsExactly(
                new WrittenLog.Entry("order-1", RecordKey.of("shardId-000000000003", SEQ)),
                new WrittenLog.Entry("2", RecordKey.of("shardId-000000000000", "7")));
    }

    @Test
    void creatingALogEmptiesAnOldOne() throws Exception {
        Path file = dir.resolve("written.log");
        Files.writeString(file, "stale\tline\n");

        WrittenLog.create(file).close();

        assertThat(file).isEmptyFile();
    }

    @Test
    void aMalformedLineIsRejectedWithTheLine() {
        assertThatThrownBy(() -> WrittenLog.Entry.parse("no tab here")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"no tab here\"");
        assertThatThrownBy(() -> WrittenLog.Entry.parse("a\tb\tc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WrittenLog.Entry.parse("id\tshardId-1:5")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLogThatCouldNotBeWrittenIsNeverPassedOffAsComplete() throws Exception {
        // /dev/full accepts the open and fails every write with "No space left on device".
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "needs Linux's /dev/full");
        WrittenLog log = WrittenLog.create(full);
        log.append("1", RecordKey.of("shardId-000000000000", "1"));
        log.flushQuietly();
        log.append("2", RecordKey.of("shardId-000000000000", "2"));

        assertThatThrownBy(log::flush).isInstanceOf(UncheckedIOException.class).hasMessageContaining("/dev/full is incomplete");
        assertThatThrownBy(log::close).isInstanceOf(UncheckedIOException.class).hasMessageContaining("is incomplete");
    }
}
