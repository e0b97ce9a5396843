package dev.nosso.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAI chat-completions protocol, as OpenAI, vLLM, llama.cpp, LM Studio, LiteLLM, OpenRouter and Ollama's
 * {@code /v1} speak it. The base URL includes the version ({@code https://api.openai.com/v1}); answers stream
 * as server-sent events ending with {@code data: [DONE]}.
 */
final class OpenAiCompatibleClient implements ProviderClient {

    // Not every server lists a context length; these are the names the ones that do use.
    private static final List<String> CONTEXT_LENGTH_FIELDS = List.of("context_length", "max_model_len",
            "context_window", "max_context_length");

    private final ProviderHttp http;

    OpenAiCompatibleClient() {
        this(ProviderTimeouts.DEFAULTS);
    }

    OpenAiCompatibleClient(ProviderTimeouts timeouts) {
        this.http = new ProviderHttp(timeouts);
    }

    @Override
    public List<UpstreamModel> models(Endpoint endpoint) {
        JsonNode data = http.get(endpoint, "models", http.timeouts().listing()).path("data");
        if (!data.isArray()) {
            throw new ProviderFailure("The provider listed its models in an unknown format (no \"data\" array).");
        }
        List<UpstreamModel> models = new ArrayList<>();
        for (JsonNode model : data) {
            if (model.path("id").isString()) {
                models.add(new UpstreamModel(model.path("id").stringValue(), contextLength(model)));
            }
        }
        return models;
    }

    @Override
    public Completion stream(Endpoint endpoint, CompletionRequest request, Consumer<String> onDelta,
                             Cancellation cancellation) {
        var answer = new OpenAiChunks(endpoint, onDelta);
        var events = new SseLineParser(answer::accept);
        boolean read = http.streamLines(endpoint, "chat/completions", body(request), cancellation, line -> {
            events.line(line);
            return answer.done();
        });
        if (!read) {
            return answer.completion("cancelled");
        }
        // Some servers close right after the last chunk without [DONE]; with a finish reason the text is whole.
        if (!answer.done() && answer.finishReason() == null) {
            throw new ProviderFailure("The connection to the provider ended before the answer was complete "
                    + "(no [DONE]).");
        }
        return answer.completion(null);
    }

    private static ObjectNode body(CompletionRequest request) {
        ObjectNode body = ProviderHttp.JSON.createObjectNode().put("model", request.model()).put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        ArrayNode messages = body.putArray("messages");
        for (PromptMessage message : request.messages()) {
            ObjectNode sent = messages.addObject().put("role", message.role());
            if (message.images().isEmpty()) {
                sent.put("content", message.content());
                continue;
            }
            // With images the content is an array of parts: the text first, then each image as a data URL.
            ArrayNode parts = sent.putArray("content");
            if (!message.content().isEmpty()) {
                parts.addObject().put("type", "text").put("text", message.content());
            }
            for (PromptMessage.Image image : message.images()) {
                parts.addObject().put("type", "image_url").putObject("image_url").put("url", image.dataUrl());
            }
        }
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        if (request.maxTokens() != null) {
            body.put("max_tokens", request.maxTokens());
        }
        return body;
    }

    private static Integer contextLength(JsonNode model) {
        for (String field : CONTEXT_LENGTH_FIELDS) {
            Integer length = ProviderHttp.integer(model.path(field));
            if (length != null) {
                return length;
            }
        }
        return null;
    }
}
