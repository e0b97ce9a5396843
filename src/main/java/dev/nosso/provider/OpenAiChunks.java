package dev.nosso.provider;

import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * What the events of an OpenAI-compatible chat-completions stream said so far: JSON chunks with the text in
 * {@code choices[0].delta.content}, a finish reason and usage, then {@code [DONE]}. A chunk that is not JSON,
 * or that reports an error, is a {@link ProviderFailure}; nothing else a provider sends may escape.
 */
final class OpenAiChunks extends StreamedAnswer {

    OpenAiChunks(Endpoint endpoint, Consumer<String> onDelta) {
        super(endpoint, onDelta);
    }

    void accept(SseLineParser.Event event) {
        if (event.data().equals("[DONE]")) {
            done = true;
            return;
        }
        if (event.name().equals("error")) {
            throw ProviderHttp.reported(endpoint, event.data());
        }
        JsonNode chunk = ProviderHttp.parseLine(endpoint, event.data());
        if (chunk.hasNonNull("error")) {
            throw ProviderHttp.reported(endpoint, event.data());
        }
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) != 0) {
                continue; // n > 1 is never asked for; ignore any other choice rather than mix them
            }
            JsonNode content = choice.path("delta").path("content");
            if (content.isString() && !content.stringValue().isEmpty()) {
                onDelta.accept(content.stringValue());
            }
            if (choice.path("finish_reason").isString()) {
                finishReason = choice.path("finish_reason").stringValue();
            }
        }
        JsonNode usage = chunk.path("usage");
        if (usage.isObject()) {
            promptTokens = ProviderHttp.integer(usage.path("prompt_tokens"));
            completionTokens = ProviderHttp.integer(usage.path("completion_tokens"));
        }
    }
}
