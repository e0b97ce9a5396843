package dev.nosso.provider;

import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * What the lines of an Ollama {@code /api/chat} stream said so far: one JSON object per line, text in
 * {@code message.content}, the last with {@code "done": true} and the token counts. A line that is not JSON,
 * or that reports an error, is a {@link ProviderFailure}; nothing else a provider sends may escape.
 */
final class OllamaLines extends StreamedAnswer {

    OllamaLines(Endpoint endpoint, Consumer<String> onDelta) {
        super(endpoint, onDelta);
    }

    boolean accept(String line) {
        if (line.isBlank()) {
            return false;
        }
        JsonNode json = ProviderHttp.parseLine(endpoint, line);
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
}
