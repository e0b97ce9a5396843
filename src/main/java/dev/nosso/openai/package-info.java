/**
 * The OpenAI-compatible API: {@code GET /v1/models} and {@code POST /v1/chat/completions}, streamed or whole,
 * so that OpenAI's clients use the models of every connection with a Nosso API key. A completion is a turn
 * started by {@code generation}'s {@code Turns}, like a message sent in the web UI, and read here as OpenAI's
 * completion or chunk stream; it is stateless unless the request asks {@code "store": true}, which keeps the
 * exchange as a chat of the key's owner, checkpointed as it streams. A preset is a model here too
 * ({@code preset:<name>}, the caller's own or a published one): its model, system prompt, sampling and
 * grounding apply. Its errors come in OpenAI's shape.
 *
 * <p>Left to others: the turn itself ({@code generation}), the models ({@code provider}), and the refusals of
 * the security chain under {@code /v1}, which {@code identity} gives in the same shape.
 *
 * @see dev.nosso.openai.OpenAiController
 */
@ApplicationModule(allowedDependencies = {"generation", "chat", "knowledge", "preset", "provider", "identity",
        "platform"})
package dev.nosso.openai;

import org.springframework.modulith.ApplicationModule;
