package dev.nosso.provider;

import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * What the lines of an Ollama {@code /api/chat} stream said so far: one JSON object per line, text in
 * {@code message.content}, the last with {@code "done": true} and the token counts. A line that is not JSON,
 * or that reports an error, is a {@link ProviderFailure}; nothing else a provider sends may escape.
 */
final class OllamaLines {

    private final Endpoint endpoint;
    private final Consumer<String> onDelta;
    private Integer promptTokens;
    private Integer completionTokens;
    private String finishReason;
    private boolean done;

    OllamaLines(Endpoint endpoint, Consumer<String> onDelta) {
        this.endpoint = endpoint;
        this.onDelta = onDelta;
    }

    boolean accept(String line) {
        if (line.isBlank()) {
            return false;
        }
        JsonNode json = ProviderHttp.parseLine(line);
        if (json.hasNonNull("error")) {
            throw ProviderHttp.reported(endpoint, line);
        }
        JsonNode content = json.path("message").path("content");
        if (content.isString() && !content.stringValue().isEmpty()) {
            onDelta.accept(content.stringValue());
        }
        if (json.path("done").asBoolean(false)) {
            done = true;
            finishReason = json.path("done_reason").isString() ? json.path("done_reason").stringValue() : "stop";
            promptTokens = ProviderHttp.integer(json.path("prompt_eval_count"));
            completionTokens = ProviderHttp.integer(json.path("eval_count"));
        }
        return done;
    }

    boolean done() {
        return done;
    }

    String finishReason() {
        return finishReason;
    }

    /** What was said, ending as the provider said (or {@code finishReason} when given). */
    Completion completion(String endedAs) {
        return new Completion(promptTokens, completionTokens, endedAs != null ? endedAs : finishReason);
    }
}
