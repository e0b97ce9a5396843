package dev.nosso.provider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ollama's native protocol: models from {@code /api/tags} with their context length from {@code /api/show},
 * answers from {@code /api/chat} as one JSON object per line, the last with {@code "done": true}. The base URL
 * is the server's root ({@code http://127.0.0.1:11434}).
 */
final class OllamaClient implements ProviderClient {

    // Ollama reads each model's metadata from disk for /api/show; a few at a time keeps a large library quick
    // without flooding a small machine.
    private static final int PARALLEL_SHOWS = 4;

    private final ProviderHttp http;

    OllamaClient() {
        this(ProviderTimeouts.DEFAULTS);
    }

    OllamaClient(ProviderTimeouts timeouts) {
        this.http = new ProviderHttp(timeouts);
    }

    @Override
    public List<UpstreamModel> models(Endpoint endpoint) {
        long deadline = System.nanoTime() + http.timeouts().listing().toNanos();
        JsonNode tags = http.get(endpoint, "api/tags", http.timeouts().listing()).path("models");
        if (!tags.isArray()) {
            throw new ProviderFailure("The provider listed its models in an unknown format (no \"models\" array).");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode tag : tags) {
            JsonNode name = tag.path("name").isString() ? tag.path("name") : tag.path("model");
            if (name.isString()) {
                names.add(name.stringValue());
            }
        }
        return withContextLengths(endpoint, names, deadline);
    }

    // The context lengths share the listing's deadline, so the whole listing stays within its timeout; a model
    // whose /api/show fails or comes late is listed all the same, without a length.
    private List<UpstreamModel> withContextLengths(Endpoint endpoint, List<String> names, long deadline) {
        var slots = new Semaphore(PARALLEL_SHOWS);
        List<Future<Integer>> lengths = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String name : names) {
                lengths.add(executor.submit(() -> {
                    slots.acquire();
                    try {
                        return contextLength(endpoint, name, deadline);
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        List<UpstreamModel> models = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Future<Integer> length = lengths.get(i);
            models.add(new UpstreamModel(names.get(i), length.state() == Future.State.SUCCESS ? length.resultNow() : null));
        }
        return models;
    }

    private Integer contextLength(Endpoint endpoint, String model, long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return null;
        }
        try {
            JsonNode info = http.post(endpoint, "api/show", ProviderHttp.JSON.createObjectNode().put("model", model),
                    Duration.ofNanos(left)).path("model_info");
            for (String key : info.propertyNames()) {
                if (key.endsWith(".context_length") && info.get(key).isIntegralNumber()) {
                    return info.get(key).intValue();
                }
            }
            return null;
        } catch (ProviderFailure e) {
            return null;
        }
    }

    @Override
    public Completion stream(Endpoint endpoint, CompletionRequest request, Consumer<String> onDelta,
                             Cancellation cancellation) {
        var answer = new OllamaLines(endpoint, onDelta);
        boolean read = http.streamLines(endpoint, "api/chat", body(request), cancellation, answer::accept);
        if (!read) {
            return answer.completion("cancelled");
        }
        if (!answer.done()) {
            throw new ProviderFailure("The connection to the provider ended before the answer was complete "
                    + "(no final \"done\" line).");
        }
        return answer.completion(null);
    }

    private static ObjectNode body(CompletionRequest request) {
        ObjectNode body = ProviderHttp.JSON.createObjectNode().put("model", request.model()).put("stream", true);
        ArrayNode messages = body.putArray("messages");
        for (PromptMessage message : request.messages()) {
            messages.addObject().put("role", message.role()).put("content", message.content());
        }
        if (request.temperature() != null || request.maxTokens() != null) {
            ObjectNode options = body.putObject("options");
            if (request.temperature() != null) {
                options.put("temperature", request.temperature());
            }
            if (request.maxTokens() != null) {
                options.put("num_predict", request.maxTokens());
            }
        }
        return body;
    }
}
