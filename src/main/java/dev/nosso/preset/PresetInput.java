package dev.nosso.preset;

import java.util.List;
import java.util.UUID;

/**
 * A preset as a client writes it, whole (a PUT replaces every field). Only an administrator may set
 * {@code published}; null leaves it as it is (false for a new preset).
 */
public record PresetInput(String name, String model, String systemPrompt, Double temperature, Integer maxTokens,
                          List<UUID> collectionIds, Boolean memory, Boolean published) {
}
