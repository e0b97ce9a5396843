package dev.nosso.provider;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** What the rest of Nosso asks of the model providers. */
public interface LanguageModels {

    /** The merged catalog of every enabled, reachable connection (cached briefly). */
    List<Model> models();

    /** The model with this id, if some enabled connection serves it. */
    Optional<Model> find(String modelId);

    /**
     * Streams a completion: each piece of text goes to {@code onDelta} as it arrives, on the calling thread.
     * Returns when the provider has finished; a cancelled call returns what it had (no exception).
     *
     * @throws ProviderFailure for every upstream fault, with a readable reason
     * @throws UnknownModel    when no enabled connection serves {@code request.model()}
     */
    Completion stream(CompletionRequest request, Consumer<String> onDelta, Cancellation cancellation);
}
