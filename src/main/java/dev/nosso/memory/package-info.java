/**
 * The memory of past conversations: every finished message is remembered (chunked and embedded by
 * {@code retrieval} as a source of kind {@code message}, named by its chat's title), so that searches and
 * grounded answers find what the user talked about in other chats; a deleted message or chat is forgotten.
 *
 * <p>{@code chat} calls {@link dev.nosso.memory.MessageMemory} inside the transaction that changes a message
 * or a chat: a finished or edited message joins its owner's memory queue in that transaction (with a
 * {@code remember-messages} job for the owner unless one waits already; each job indexes a batch and queues
 * the next, so owners take turns at the workers), and
 * deleted messages lose their chunks in it, so nothing is lost between the change and the work. The jobs
 * ({@code remember-messages}; {@code forget-memory} and {@code reindex-memory}, which {@code identity} queues
 * when a user turns memory off or on) read the messages back through
 * {@link dev.nosso.memory.RememberableMessages}, which {@code chat} implements: memory knows nothing of chats'
 * tables. Searching what is remembered is {@code retrieval}'s (its memory scope).
 */
@ApplicationModule(allowedDependencies = {"retrieval", "identity", "platform"})
package dev.nosso.memory;

import org.springframework.modulith.ApplicationModule;
