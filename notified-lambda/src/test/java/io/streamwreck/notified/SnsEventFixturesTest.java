package io.streamwreck.notified;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.streamwreck.core.notice.NoticeCodec;
import io.streamwreck.core.notice.NoticeFormatException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fixtures are SNS events in the shape AWS documents, and the local runtime's binding
 * ({@code SnsEventJson}, used by the tests and the local runtime) reads them exactly as the Lambda Java
 * runtime's own serializer does.
 */
class SnsEventFixturesTest {

    private static final PojoSerializer<SNSEvent> LAMBDA_RUNTIME =
            LambdaEventSerializers.serializerFor(SNSEvent.class, SnsEventFixturesTest.class.getClassLoader());

    @ParameterizedTest
    @ValueSource(strings = {"sns-notice.json", "sns-notices-with-malformed.json"})
    void theLocalBindingMatchesTheLambdaRuntimes(String fixture) {
        SNSEvent expected = LAMBDA_RUNTIME.fromJson(SnsEvents.fixtureJson(fixture));
        SNSEvent actual = SnsEvents.fixture(fixture);

        assertThat(actual.getRecords()).hasSameSizeAs(expected.getRecords()).isNotEmpty();
        for (int i = 0; i < expected.getRecords().size(); i++) {
            SNSEvent.SNSRecord e = expected.getRecords().get(i);
            SNSEvent.SNSRecord a = actual.getRecords().get(i);
            assertThat(a.getEventSource()).isEqualTo(e.getEventSource()).isEqualTo("aws:sns");
            assertThat(a.getEventVersion()).isEqualTo(e.getEventVersion());
            assertThat(a.getEventSubscriptionArn()).isEqualTo(e.getEventSubscriptionArn());
            SNSEvent.SNS es = e.getSNS();
            SNSEvent.SNS as = a.getSNS();
            assertThat(as.getTimestamp().getMillis()).isEqualTo(es.getTimestamp().getMillis());
            // Everything but the timestamp's object identity must be equal: compare with the timestamps aligned.
            as.setTimestamp(es.getTimestamp());
            assertThat(as).isEqualTo(es);
        }
    }

    @Test
    void theValidFixtureNoticesDecodeAndTheMalformedOnesAreRejectedForTheirOwnReason() {
        NoticeCodec codec = new NoticeCodec();
        assertThat(codec.decode(message("sns-notice.json", 0)).processed()).hasSize(4);

        List<SNSEvent.SNSRecord> mixed = SnsEvents.fixture("sns-notices-with-malformed.json").getRecords();
        assertThat(codec.decode(mixed.get(0).getSNS().getMessage()).shardId()).isEqualTo("shardId-000000000001");
        assertThatThrownBy(() -> codec.decode(mixed.get(1).getSNS().getMessage()))
                .isInstanceOf(NoticeFormatException.class).hasMessageContaining("unsupported notice version 3");
        assertThatThrownBy(() -> codec.decode(mixed.get(2).getSNS().getMessage()))
                .isInstanceOf(NoticeFormatException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> codec.decode(mixed.get(3).getSNS().getMessage()))
                .isInstanceOf(NoticeFormatException.class).hasMessageContaining("processed[0]").hasMessageContaining("12a");
        assertThat(codec.decode(mixed.get(4).getSNS().getMessage()).processed()).hasSize(2);
    }

    private static String message(String fixture, int record) {
        return SnsEvents.fixture(fixture).getRecords().get(record).getSNS().getMessage();
    }
}
