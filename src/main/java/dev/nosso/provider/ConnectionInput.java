package dev.nosso.provider;

import dev.nosso.platform.Problems;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The rules for a connection's fields, shared by the admin API and the environment's connections. A broken
 * rule is a 400 {@code validation} problem naming the field, as elsewhere in the API.
 */
final class ConnectionInput {

    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_URL_LENGTH = 2000;
    static final int MAX_KEY_LENGTH = 4000;

    private ConnectionInput() {
    }

    static ConnectionKind kind(String kind) {
        ConnectionKind parsed = ConnectionKind.fromWireOrNull(kind);
        if (parsed == null) {
            throw invalid("kind", "must be openai or ollama.");
        }
        return parsed;
    }

    static String name(String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty()) {
            throw invalid("name", "is required.");
        }
        if (trimmed.length() > MAX_NAME_LENGTH) {
            throw invalid("name", "must be at most " + MAX_NAME_LENGTH + " characters long.");
        }
        return trimmed;
    }

    /**
     * An absolute http or https URL, without trailing slashes (the clients append their paths to it), and
     * without credentials, a query or a fragment: a key belongs in {@code apiKey}, where it is sealed.
     */
    static URI baseUrl(String url) {
        String text = url == null ? "" : url.strip();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty()) {
            throw invalid("baseUrl", "is required.");
        }
        if (text.length() > MAX_URL_LENGTH) {
            throw invalid("baseUrl", "must be at most " + MAX_URL_LENGTH + " characters long.");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid("baseUrl", "is not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid("baseUrl", "must be an absolute http:// or https:// URL.");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid("baseUrl", "must name a host.");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("baseUrl", "must not carry credentials; give the key as apiKey, which is stored sealed.");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid("baseUrl", "must not have a query or a fragment.");
        }
        return URI.create(scheme + text.substring(scheme.length()));
    }

    /** @return null for no key (absent or blank) */
    static String apiKey(String key) {
        if (key == null || key.isBlank()) {
            return null;
        }
        String trimmed = key.strip();
        if (trimmed.length() > MAX_KEY_LENGTH) {
            throw invalid("apiKey", "must be at most " + MAX_KEY_LENGTH + " characters long.");
        }
        // It travels in an HTTP header, where a line break would start another header.
        if (trimmed.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw invalid("apiKey", "must not contain control characters.");
        }
        return trimmed;
    }

    static ErrorResponseException invalid(String field, String message) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "validation", field + ": " + message);
        problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }
}
