package dev.nosso.generation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Models decorate titles; what is kept is the title. */
class TitlesTest {

    @Test
    void quotesMarkdownPrefixesAndAFinalStopAreRemoved() {
        assertThat(Titles.clean("\"Trip to Lisbon\"")).isEqualTo("Trip to Lisbon");
        assertThat(Titles.clean("**Title:** Trip to Lisbon.\nHope this helps!")).isEqualTo("Trip to Lisbon");
        assertThat(Titles.clean("Title: Viagem a Lisboa")).isEqualTo("Viagem a Lisboa");
        assertThat(Titles.clean("# Rust lifetimes")).isEqualTo("Rust lifetimes");
        assertThat(Titles.clean("   ")).isEmpty();
        assertThat(Titles.clean("x".repeat(200))).hasSize(80);
    }
}
