package dev.nosso.provider;

import java.util.List;

/**
 * What to ask a model.
 *
 * @param model       a model id from the catalog
 * @param temperature null for the provider's default
 * @param maxTokens   null for the provider's default
 */
public record CompletionRequest(String model, List<PromptMessage> messages, Double temperature, Integer maxTokens) {
}
