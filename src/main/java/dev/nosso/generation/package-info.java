/**
 * One turn of a conversation, started only through {@link dev.nosso.generation.Turns} whoever asks (a message
 * sent or edited, another answer, a completion of the OpenAI-compatible API), under the durability contract:
 * the question and an empty answer are
 * committed together, the answer is generated on a virtual thread that no request owns, its text is
 * checkpointed at least once a second, and any number of clients follow it as SSE from any offset. Also the
 * context sent to the model (system prompt, then as much of the branch as fits), cancelling, regenerating,
 * chat titles, usage figures (added to {@code usage}'s roll-up as each answer ends), the start-up sweep that marks answers left by a dead process, and stopping the
 * answers of an account that loses its access ({@code SuspendedAnswers}).
 */
@ApplicationModule(allowedDependencies = {"chat", "provider", "retrieval", "knowledge", "usage", "identity", "platform"})
package dev.nosso.generation;

import org.springframework.modulith.ApplicationModule;
