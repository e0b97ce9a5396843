/**
 * Chats and the message tree: appending, branching, the active branch and its windows, folders, tags,
 * pinning, archiving, starting a chat from a preset (a copy of its settings), and chat search (by words, or by
 * meaning over the remembered messages, through {@code retrieval}), with their REST API. Every statement filters
 * by owner. A delete hides the chat or subtree from every read in one short write ({@code chats.deleted_at},
 * {@code messages.deleting}) and queues the {@code sweep-deleted} job ({@code SweepDeleted}), which removes the
 * rows a batch at a time; {@code HiddenMessages} tells searches of memory to drop their passages meanwhile.
 *
 * <p>The memory of past conversations is {@code memory}'s: chat hands it each finished, edited or deleted
 * message inside the transaction that changes it, and lets its jobs read messages back
 * ({@code MessageRepository} implements {@link dev.nosso.memory.RememberableMessages}).
 */
@ApplicationModule(allowedDependencies = {"memory", "preset", "retrieval", "identity", "platform"})
package dev.nosso.chat;

import org.springframework.modulith.ApplicationModule;
