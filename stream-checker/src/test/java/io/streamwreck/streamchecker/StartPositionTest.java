package io.streamwreck.streamchecker;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartPositionTest {

    @Test
    void trimHorizonAsksForTheOldestRecord() {
        GetShardIteratorRequest.Builder request = GetShardIteratorRequest.builder();
        StartPosition.parse(" TRIM-horizon ").applyTo(request);

        assertThat(request.build().shardIteratorType()).isEqualTo(ShardIteratorType.TRIM_HORIZON);
        assertThat(request.build().timestamp()).isNull();
    }

    @Test
    void atTimestampCarriesTheInstant() {
        StartPosition position = StartPosition.parse("at-timestamp=2026-11-21T10:15:30.5Z");
        GetShardIteratorRequest.Builder request = GetShardIteratorRequest.builder();
        position.applyTo(request);

        assertThat(request.build().shardIteratorType()).isEqualTo(ShardIteratorType.AT_TIMESTAMP);
        assertThat(request.build().timestamp()).isEqualTo(Instant.parse("2026-11-21T10:15:30.500Z"));
        assertThat(position).hasToString("at-timestamp=2026-11-21T10:15:30.500Z");
    }

    @Test
    void anythingElseIsRefusedWithTheFormsAccepted() {
        assertThatThrownBy(() -> StartPosition.parse("latest")).hasMessage(
                "\"latest\" is not a start position; use trim-horizon or at-timestamp=2026-11-21T00:00:00Z");
        assertThatThrownBy(() -> StartPosition.parse("at-timestamp=2026-11-21")).hasMessageContaining("not an ISO-8601 instant");
    }
}
