package io.streamwreck.streamchecker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.KeyStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconcileJsonTest {

    private static final String SHARD = "shardId-000000000003";
    private final RecordKey a = RecordKey.of(SHARD, "49680448753680316710639816689677381236990947894837116930");
    private final RecordKey b = RecordKey.of(SHARD, "49680448753680316710639816689677381236990947894837116931", 2);
    private final RecordKey c = RecordKey.of(SHARD, "49680448753680316710639816689677381236990947894837116932");
    private final RecordKey d = RecordKey.of(SHARD, "49680448753680316710639816689677381236990947894837116933");

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theRequestNamesTheScopeAndEveryKeyQualified() {
        assertThat(new String(ReconcileJson.request("orders", "billing", List.of(a, b)), StandardCharsets.UTF_8))
                .isEqualTo("{\"Stream\":\"orders\",\"Application\":\"billing\",\"Keys\":[\"" + a + "\",\"" + b + "\"]}");
        assertThat(new String(ReconcileJson.request("orders", null, List.of()), StandardCharsets.UTF_8))
                .isEqualTo("{\"Stream\":\"orders\",\"Keys\":[]}");
    }

    @Test
    void keysTheAnswerDoesNotListWereProcessedOnce() {
        String body = "{\"Checked\":4,\"Unprocessed\":[\"" + b + "\",\"" + c + "\"],\"Skipped\":[\"" + b + "\"],"
                + "\"Undelivered\":[\"" + c + "\"],\"Duplicated\":[{\"Key\":\"" + d + "\",\"Count\":3}],\"Ambiguous\":[],"
                + "\"Processed\":1,\"Stream\":\"orders\",\"Application\":\"billing\"}";

        ReconcileJson.Answer answer = ReconcileJson.answer(utf8(body), List.of(a, b, c, d));

        assertThat(answer.statuses()).containsExactly(
                new KeyStatus(a, Classification.PROCESSED, 1),
                new KeyStatus(b, Classification.SKIPPED, 0),
                new KeyStatus(c, Classification.UNDELIVERED, 0),
                new KeyStatus(d, Classification.DUPLICATED, 3));
        assertThat(answer.application()).isEqualTo("billing");
    }

    @Test
    void anAnswerThatDoesNotFitTheQuestionEndsTheScan() {
        assertThatThrownBy(() -> ReconcileJson.answer(utf8("{\"Checked\":1,\"Skipped\":[\"" + c + "\"]}"), List.of(a)))
                .isInstanceOf(ScanFailedException.class).hasMessage("the checker answered about a key it was not asked: " + c);
        assertThatThrownBy(() -> ReconcileJson.answer(utf8("{\"Checked\":1}"), List.of(a, b)))
                .hasMessage("the checker answered for 1 keys, asked 2");
        assertThatThrownBy(() -> ReconcileJson.answer(utf8("<html>"), List.of(a)))
                .hasMessageStartingWith("the checker's answer is not the JSON of /reconcile");
    }

    @Test
    void errorMessagesComeFromTheCheckerOrApiGatewayOrTheBodyItself() {
        assertThat(ReconcileJson.errorMessage(utf8("{\"Error\":\"InvalidKey\",\"Message\":\"[3] \\\"x\\\": bad\",\"Index\":3}")))
                .isEqualTo("InvalidKey: [3] \"x\": bad");
        assertThat(ReconcileJson.errorMessage(utf8("{\"message\":\"Internal server error\"}"))).isEqualTo("Internal server error");
        assertThat(ReconcileJson.errorMessage(utf8("<html>\n<body>Bad Gateway</body>"))).isEqualTo("<html> <body>Bad Gateway</body>");
        assertThat(ReconcileJson.errorMessage(new byte[0])).isEqualTo("(no body)");
    }
}
