package dev.nosso.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What is kept of a provider's error text: one short line without anything that looks like a credential. */
class FailureReasonsTest {

    @Test
    void controlCharactersAndLineBreaksBecomeOneSpace() {
        assertThat(FailureReasons.bounded("model\r\n\tis \u001b[31mloading\u0000 ")).isEqualTo("model is [31mloading");
    }

    @Test
    void keysTokensAndNamedSecretsAreRedactedButModelNamesAreKept() {
        String reason = FailureReasons.bounded("Incorrect API key provided: sk-proj-abcDEF123456789. Header "
                + "Authorization: Bearer eyJhbGciOi.payload.sig; password=letmein123 request "
                + "0123456789abcdefABCDEF0123456789abcd for meta-llama/Llama-3.1-8B-Instruct");
        assertThat(reason).doesNotContain("sk-proj-abcDEF123456789").doesNotContain("eyJhbGciOi")
                .doesNotContain("letmein123").doesNotContain("0123456789abcdefABCDEF0123456789abcd")
                .contains("meta-llama/Llama-3.1-8B-Instruct").contains("***");
    }

    @Test
    void aLongReasonIsCutToTheBoundWithoutSplittingACharacter() {
        String reason = FailureReasons.bounded("a".repeat(FailureReasons.MAX_CHARS - 2) + "😀😀😀");
        assertThat(reason).hasSizeLessThanOrEqualTo(FailureReasons.MAX_CHARS).endsWith("…");
        assertThat(Character.isHighSurrogate(reason.charAt(reason.length() - 2))).isFalse();
    }

    @Test
    void anEmptyReasonStillSaysSomething() {
        assertThat(FailureReasons.bounded(" \n ")).isEqualTo("The provider failed.");
        assertThat(FailureReasons.bounded("\u0000\u200b\u0007")).isEqualTo("The provider failed.");
    }
}
