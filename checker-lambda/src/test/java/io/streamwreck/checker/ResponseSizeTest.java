package io.streamwreck.checker;

import com.fasterxml.jackson.core.JsonGenerator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** Lambda's 6 MiB response limit counts the bytes of the payload, not the characters of the body. */
class ResponseSizeTest {

    private static final int LIMIT = RequestLimits.MAX_RESPONSE_BYTES;

    @Test
    void aBodyOfNonAsciiCharactersIsMeasuredInUtf8Bytes() {
        String body = "\u00e9".repeat(LIMIT / 2 + 1); // fewer characters than the limit, more bytes

        assertThat(body.length()).isLessThan(LIMIT);
        assertThat(RequestLimits.responsePayloadBytes(body)).isEqualTo(2L * body.length());
        assertThat(RequestLimits.responseFits(body)).isFalse();
    }

    @Test
    void anAnswerListingManyKeysCountsTheEscapedQuotes() {
        // The body of a large answer is mostly quoted keys; in the response event each quote becomes \".
        String key = "\"shardId-000000000001:49680449613240239642804155057032524189588789959304675330\",";
        String body = "{\"Unprocessed\":[" + key.repeat(LIMIT / key.length() - 1) + "\"x\"]}";

        assertThat(body.length()).isLessThanOrEqualTo(LIMIT);
        assertThat(RequestLimits.responseFits(body)).isFalse();
    }

    @Test
    void aPlainBodyAtTheLimitFits() {
        assertThat(RequestLimits.responseFits("1".repeat(LIMIT))).isTrue();
        assertThat(RequestLimits.responseFits("1".repeat(LIMIT + 1))).isFalse();
    }

    @Test
    void theCountIsWhatTheSerializedEventCarries() throws IOException {
        String body = "{\"Key\":\"a\\\\b\",\"Tab\":\"\t\",\"Nul\":\"\u0001\",\"Snow\":\"\u2603\",\"Clef\":\"\uD834\uDD1E\","
                + "\"Umlaut\":\"\u00fc\",\"Slash\":\"/\"}";

        assertThat(RequestLimits.responsePayloadBytes(body)).isEqualTo(serializedStringBytes(body));
    }

    /** The UTF-8 bytes Jackson writes for {@code value} as a JSON string, without its two quotes. */
    private static long serializedStringBytes(String value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = ReconciliationWriter.JSON.createGenerator(out)) {
            g.writeString(value);
        }
        return out.size() - 2L;
    }
}
