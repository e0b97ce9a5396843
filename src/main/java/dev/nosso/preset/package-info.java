/**
 * Presets: a named model with a system prompt, sampling, collections and a memory setting, which a new chat
 * starts from (it gets a copy of the settings) and which the OpenAI-compatible API takes as a model
 * ({@code preset:<name>}). Each user keeps their own; an administrator may publish theirs for everyone.
 * A published preset names no collections, since collections are private to their owner.
 *
 * <p>Left to others: the chat a preset starts ({@code chat}) and the completion that applies it ({@code openai}).
 */
@ApplicationModule(allowedDependencies = {"identity", "platform"})
package dev.nosso.preset;

import org.springframework.modulith.ApplicationModule;
