package io.streamwreck.processor.handler;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordHandlersTest {

    private final ClassLoader loader = getClass().getClassLoader();

    /** A user's handler, as --handler would name it. */
    public static final class AcceptEverything implements RecordHandler {
        @Override
        public boolean handle(IncomingRecord record) {
            return true;
        }
    }

    @Test
    void withoutAClassNameTheCountingHandlerRunsWithTheSimulatedSkip() {
        RecordHandler handler = RecordHandlers.load(Optional.empty(), 5, loader);

        assertThat(handler).isInstanceOf(CountingRecordHandler.class);
        assertThat(((CountingRecordHandler) handler).skips("10")).isTrue();
        assertThat(((CountingRecordHandler) handler).skips("11")).isFalse();
    }

    @Test
    void aNamedClassIsInstantiated() {
        assertThat(RecordHandlers.load(Optional.of(AcceptEverything.class.getName()), 0, loader)).isInstanceOf(AcceptEverything.class);
    }

    @Test
    void unusableClassesAreRefusedWithAReason() {
        assertThatThrownBy(() -> RecordHandlers.load(Optional.of("com.example.Missing"), 0, loader))
                .hasMessage("handler class com.example.Missing is not on the class path");
        assertThatThrownBy(() -> RecordHandlers.load(Optional.of(String.class.getName()), 0, loader))
                .hasMessageContaining("does not implement io.streamwreck.processor.handler.RecordHandler");
        assertThatThrownBy(() -> RecordHandlers.load(Optional.of(AcceptEverything.class.getName()), 5, loader))
                .hasMessageContaining("--simulate-skip works with the default handler only");
    }

    @Test
    void theSimulationSkipsBySequenceNumberModN() throws Exception {
        CountingRecordHandler handler = new CountingRecordHandler(5);
        String[] sequences = {"49591585917767627211020937568791696204996217827017883650", "7", "15", "16"};
        int handled = 0;
        for (String seq : sequences) {
            if (handler.handle(new IncomingRecord("shardId-000000000000", seq, false, 0, "pk", java.nio.ByteBuffer.allocate(0), null))) {
                handled++;
            }
        }
        // ...883650 and 15 are multiples of 5.
        assertThat(handled).isEqualTo(2);
        assertThat(handler.skipped()).isEqualTo(2);
    }
}
