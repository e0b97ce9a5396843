package dev.nosso.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an answer cost and how fast it came. Stored as JSON in the message's {@code usage} column, since the
 * set of figures will grow and nothing queries them one by one.
 *
 * @param promptTokens       as the provider reported them, or counted here when it reported none
 * @param timeToFirstTokenMs from the start of the turn to the first piece of text
 * @param durationMs         from the start of the turn to its end
 * @param tokensPerSecond    completion tokens over the time from the first token to the end
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Usage(Integer promptTokens, Integer completionTokens, Long timeToFirstTokenMs, Long durationMs,
                    Double tokensPerSecond) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    String toJson() {
        return JSON.writeValueAsString(this);
    }

    static Usage fromJson(String json) {
        return json == null ? null : JSON.readValue(json, Usage.class);
    }
}
