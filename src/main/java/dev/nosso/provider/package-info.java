/**
 * Language-model connections and the model catalog: OpenAI-compatible and Ollama endpoints, their stored
 * (encrypted) keys, the merged list of models with each provider's health, and one streamed completion at a
 * time over the JDK {@code HttpClient}. Knows nothing about chats: callers hand it plain prompts.
 *
 * <p>Other packages use {@link dev.nosso.provider.LanguageModels} (implemented by
 * {@link dev.nosso.provider.Providers}). Connections come from the environment at each start
 * ({@code EnvironmentConnections}) or from administrators ({@code Connections}); their keys are sealed by
 * {@code SecretBox}; {@code ModelCatalog} lists them all in parallel, within a timeout, and caches the result,
 * which a change to a connection on any node clears on every node (a cluster event). A completion reads its
 * connection's row first, so a connection disabled on another node is never called. Every fault is a
 * {@code ProviderFailure} whose reason is bounded and sanitised ({@code FailureReasons}): short, one line,
 * without keys or the provider's address, since users read it; why a provider is unavailable is shown to
 * administrators only.
 */
@ApplicationModule(allowedDependencies = "platform")
package dev.nosso.provider;

import org.springframework.modulith.ApplicationModule;
