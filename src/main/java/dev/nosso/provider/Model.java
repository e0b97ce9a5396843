package dev.nosso.provider;

import java.util.UUID;

/**
 * A model in the catalog.
 *
 * @param id             unique in the catalog; what a chat or a request names
 * @param name           for display
 * @param connectionId   the connection that serves it
 * @param contextLength  in tokens, or null when the provider does not say
 * @param vision         whether it reads images: known for Ollama's models (their {@code /api/show}
 *                       capabilities include {@code vision} or not), null (unknown) for an OpenAI-compatible
 *                       server, whose model list does not say; images are then sent, and a refusal ends the
 *                       answer with the provider's reason
 */
public record Model(String id, String name, UUID connectionId, String connectionName, Integer contextLength,
                    Boolean vision) {

    public Model(String id, String name, UUID connectionId, String connectionName, Integer contextLength) {
        this(id, name, connectionId, connectionName, contextLength, null);
    }

    /** Whether the model is known not to read images. */
    public boolean blind() {
        return Boolean.FALSE.equals(vision);
    }
}
