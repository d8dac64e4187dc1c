package io.streamwreck.local.lambda;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import static org.assertj.core.api.Assertions.assertThat;

class SnsDeadLetterTest {

    @Test
    void theLetterCarriesTheEventAndLambdasAttributes() {
        SendMessageRequest letter = SnsDeadLetter.of("http://q", "{\"Records\":[]}", "req-1", new IllegalStateException("bad notice"));

        assertThat(letter.messageBody()).isEqualTo("{\"Records\":[]}");
        assertThat(letter.messageAttributes().get("RequestID").stringValue()).isEqualTo("req-1");
        assertThat(letter.messageAttributes().get("ErrorCode").dataType()).isEqualTo("Number");
        assertThat(letter.messageAttributes().get("ErrorCode").stringValue()).isEqualTo("200");
        assertThat(letter.messageAttributes().get("ErrorMessage").stringValue()).isEqualTo("bad notice");
        assertThat(letter.messageAttributes().get("ErrorType").stringValue()).isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void theErrorMessageIsCutToLambdasOneKibibyteAndNeverEmpty() {
        assertThat(SnsDeadLetter.errorMessage(new RuntimeException("x".repeat(5000)))).hasSize(1024);
        assertThat(SnsDeadLetter.errorMessage(new NullPointerException())).isEqualTo("java.lang.NullPointerException");
    }
}
