package io.streamwreck.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InvalidKeyExceptionTest {

    @Test
    void messageIsTheQuotedInputAndTheReason() {
        InvalidKeyException e = new InvalidKeyException("abc", "it is wrong");

        assertThat(e).hasMessage("\"abc\": it is wrong");
        assertThat(e.input()).isEqualTo("abc");
    }

    @Test
    void aNullInputIsShownAsNull() {
        assertThat(new InvalidKeyException(null, "required")).hasMessage("null: required");
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() {
        assertThat(InvalidKeyException.describe("a\"b\\c d\te\nf\u007fg"))
                .isEqualTo("\"a\\\"b\\\\c\\u0020d\\u0009e\\u000af\\u007fg\"");
    }

    @Test
    void anInputOf160CharactersIsShownWhole() {
        String input = "7".repeat(160);

        assertThat(InvalidKeyException.describe(input)).isEqualTo("\"" + input + "\"");
    }

    @Test
    void aLongerInputIsCutAndItsLengthGiven() {
        String input = "7".repeat(161);

        assertThat(InvalidKeyException.describe(input)).isEqualTo("\"" + "7".repeat(160) + "\"… (161 characters)");
    }

    @Test
    void escapedCharactersCountTowardsTheCut() {
        String described = InvalidKeyException.describe("\n".repeat(1000));

        assertThat(described).hasSizeLessThan(200).endsWith("\"… (1000 characters)").startsWith("\"\\u000a\\u000a");
    }
}
