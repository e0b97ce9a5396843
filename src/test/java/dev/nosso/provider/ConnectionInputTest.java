package dev.nosso.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

class ConnectionInputTest {

    @Test
    void aBaseUrlLosesItsTrailingSlashesAndSurroundingSpaceAndKeepsItsPath() {
        assertThat(ConnectionInput.baseUrl(" https://api.example.com/v1/// ")).isEqualTo(URI.create("https://api.example.com/v1"));
        assertThat(ConnectionInput.baseUrl("HTTP://127.0.0.1:11434/")).isEqualTo(URI.create("http://127.0.0.1:11434"));
    }

    @Test
    void aBaseUrlMustBeAnAbsoluteHttpUrlWithoutCredentialsOrQuery() {
        for (String bad : new String[] {"", "/", "localhost:11434", "ftp://host", "http://", "http://user:pw@host",
                "https://host/v1?key=1", "https://host/#x", "http://bad host"}) {
            assertThatThrownBy(() -> ConnectionInput.baseUrl(bad)).as(bad).isInstanceOf(ErrorResponseException.class)
                    .satisfies(e -> assertThat(((ErrorResponseException) e).getBody().getDetail()).startsWith("baseUrl:"));
        }
    }

    @Test
    void aBlankKeyMeansNoKeyAndAKeyMayNotBreakAHeader() {
        assertThat(ConnectionInput.apiKey("  ")).isNull();
        assertThat(ConnectionInput.apiKey(" sk-1 ")).isEqualTo("sk-1");
        assertThatThrownBy(() -> ConnectionInput.apiKey("sk-1\r\nX-Evil: 1")).isInstanceOf(ErrorResponseException.class);
    }
}
