package dev.nosso.provider;

import java.util.List;
import java.util.function.Consumer;

/** One wire protocol: OpenAI-compatible (SSE) or Ollama (NDJSON). */
interface ProviderClient {

    /** The models the endpoint serves, with their context length when the protocol tells it. */
    List<UpstreamModel> models(Endpoint endpoint);

    /** See {@link LanguageModels#stream}; {@code request.model()} is the upstream's own model id. */
    Completion stream(Endpoint endpoint, CompletionRequest request, Consumer<String> onDelta, Cancellation cancellation);

    /** @param vision whether it reads images: true or false when the provider says (Ollama), else null */
    record UpstreamModel(String id, Integer contextLength, Boolean vision) {

        UpstreamModel(String id, Integer contextLength) {
            this(id, contextLength, null);
        }
    }
}
