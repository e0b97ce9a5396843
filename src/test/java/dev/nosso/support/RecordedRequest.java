package dev.nosso.support;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One request as {@link ScriptedUpstream} received it, recorded before any scripted delay so that a test can
 * see a request that is still hanging.
 *
 * @param headers by lower-case name
 * @param json    the parsed body, or a missing node when the body is empty or not JSON
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body,
                              JsonNode json) {

    /** The first value of this header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** The token of an {@code Authorization: Bearer} header, or null when there is none. */
    public String bearerToken() {
        String authorization = header("Authorization");
        return authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
    }

    /** The {@code model} the body asked for, or null. */
    public String model() {
        return json.path("model").isString() ? json.path("model").stringValue() : null;
    }
}
