package dev.nosso.memory;

import dev.nosso.identity.Preferences;
import dev.nosso.platform.jobs.Jobs;
import dev.nosso.retrieval.Indexer;
import dev.nosso.retrieval.SourceKind;
import java.time.Clock;
import java.util.Collection;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Keeps the memory of past conversations in step with the message tree; {@code chat} calls it inside the
 * transaction that changes a message or a chat. A message that becomes final (or is edited) joins the owner's
 * {@link MemoryQueue} in that transaction, with a {@code remember-messages} job for the owner unless one is
 * queued already, so the work exists exactly when the message does, and the embedding runs later, a batch
 * of messages at a time, on the job workers, never on a chat's request or stream. Deleted messages and chats
 * lose their chunks in the transaction that deletes them.
 */
@Component
public class MessageMemory {

    static final String REMEMBER_MESSAGES = "remember-messages";

    private final Jobs jobs;
    private final MemoryQueue queue;
    private final Indexer indexer;
    private final ObjectProvider<Preferences> preferences;
    private final Clock clock;

    MessageMemory(Jobs jobs, MemoryQueue queue, Indexer indexer, ObjectProvider<Preferences> preferences,
                  Clock clock) {
        this.jobs = jobs;
        this.queue = queue;
        this.indexer = indexer;
        this.preferences = preferences;
        this.clock = clock;
    }

    /**
     * Queues the message for indexing: two statements in the caller's transaction (the queue's row, and the
     * owner's job unless one waits already), none when the user's memory is off (their preferences are in
     * memory, so asking costs no statement). The job checks again: memory may be turned off meanwhile; turned
     * on, it indexes every message again anyway.
     */
    public void remember(UUID owner, UUID messageId) {
        if (preferences.getObject().of(owner).memory()) {
            queue.add(owner, messageId, clock.instant());
            jobs.enqueueUnlessQueued(owner, REMEMBER_MESSAGES, "{}");
        }
    }

    public void forget(UUID owner, Collection<UUID> messageIds) {
        indexer.forget(owner, SourceKind.MESSAGE, messageIds);
    }

    public void forgetChat(UUID owner, UUID chatId) {
        indexer.forgetChat(owner, chatId);
    }

    /** Remembered passages name their chat: a renamed chat's passages take the new name. */
    public void renameChat(UUID owner, UUID chatId, String title) {
        indexer.renameChat(owner, chatId, title);
    }
}
