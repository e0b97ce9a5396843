/**
 * Language-model connections and the model catalog: OpenAI-compatible and Ollama endpoints, their stored
 * (encrypted) keys, the merged list of models with each provider's health, and one streamed completion at a
 * time over the JDK {@code HttpClient}. Knows nothing about chats: callers hand it plain prompts.
 */
@ApplicationModule(allowedDependencies = {"platform", "identity"})
package dev.nosso.provider;

import org.springframework.modulith.ApplicationModule;
