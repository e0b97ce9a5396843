/**
 * Chats and the message tree: appending, branching, the active branch and its windows, folders, tags,
 * pinning, archiving and full-text chat search, with their REST API. Every statement filters by owner.
 *
 * <p>Also the memory of past conversations: every finished message is queued, in the transaction that
 * finishes it, for {@code retrieval} to index ({@link dev.nosso.chat.IndexMessage}); deleting a message or a
 * chat deletes its chunks in the same transaction.
 */
@ApplicationModule(allowedDependencies = {"retrieval", "identity", "platform"})
package dev.nosso.chat;

import org.springframework.modulith.ApplicationModule;
