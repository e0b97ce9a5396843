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
        return withDetails(endpoint, names, deadline);
    }

    /** What {@code /api/show} tells of a model: its context length, and whether it reads images. */
    private record Shown(Integer contextLength, Boolean vision) {
    }

    // The details share the listing's deadline, so the whole listing stays within its timeout; a model whose
    // /api/show fails or comes late is listed all the same, without a length and with its vision unknown.
    private List<UpstreamModel> withDetails(Endpoint endpoint, List<String> names, long deadline) {
        var slots = new Semaphore(PARALLEL_SHOWS);
        List<Future<Shown>> lengths = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String name : names) {
                lengths.add(executor.submit(() -> {
                    slots.acquire();
                    try {
                        return show(endpoint, name, deadline);
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        List<UpstreamModel> models = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Future<Shown> shown = lengths.get(i);
            Shown details = shown.state() == Future.State.SUCCESS && shown.resultNow() != null ? shown.resultNow()
                    : new Shown(null, null);
            models.add(new UpstreamModel(names.get(i), details.contextLength(), details.vision()));
        }
        return models;
    }

    // Ollama 0.6 and later list a model's capabilities ("completion", "vision", "tools", ...); an older server
    // lists none, and whether the model sees is then unknown rather than no.
    private Shown show(Endpoint endpoint, String model, long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return null;
        }
        try {
            JsonNode shown = http.post(endpoint, "api/show", ProviderHttp.JSON.createObjectNode().put("model", model),
                    Duration.ofNanos(left));
            Integer length = null;
            JsonNode info = shown.path("model_info");
            for (String key : info.propertyNames()) {
                if (key.endsWith(".context_length") && info.get(key).isIntegralNumber()) {
                    length = info.get(key).intValue();
                    break;
                }
            }
            Boolean vision = null;
            if (shown.path("capabilities").isArray()) {
                vision = false;
                for (JsonNode capability : shown.path("capabilities")) {
                    vision |= "vision".equals(capability.asString(""));
                }
            }
            return new Shown(length, vision);
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
            ObjectNode sent = messages.addObject().put("role", message.role()).put("content", message.content());
            if (!message.images().isEmpty()) {
                ArrayNode images = sent.putArray("images"); // Ollama takes bare base64, without a data URL's prefix
                message.images().forEach(image -> images.add(image.base64()));
            }
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
