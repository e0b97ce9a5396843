package dev.nosso.chat;

import dev.nosso.memory.MessageMemory;
import dev.nosso.platform.Ids;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Chats brought from elsewhere (another application's export, or another Nosso's): written as they were, with
 * their own times, branches and shown leaf, and never answered. Each method joins the caller's transaction, so
 * that an importer commits a conversation whole together with its own records of what it brought in.
 */
@Service
public class ImportedChats {

    private final HistoryRepository history;
    private final MessageRepository messages;
    private final MessageMemory memory;

    ImportedChats(HistoryRepository history, MessageRepository messages, MessageMemory memory) {
        this.history = history;
        this.messages = messages;
        this.memory = memory;
    }

    /** A chat as its source had it; its messages come with {@link #add}. */
    public record NewChat(String title, String model, String systemPrompt, boolean pinned, boolean archived,
                          Instant createdAt, Instant updatedAt) {
    }

    /** Creates an empty chat and returns its id. */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID create(UUID owner, NewChat chat) {
        UUID id = Ids.next();
        history.insertChat(owner, id, chat);
        return id;
    }

    /**
     * Writes messages of a chat of the owner's that the caller created or found, each under a parent already
     * written, in one batch. Each final message with text is remembered, as a message written here would be.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void add(UUID owner, List<Message> batch) {
        if (batch.isEmpty()) {
            return;
        }
        messages.insert(batch);
        for (Message m : batch) {
            if (!m.status().unfinished() && m.content() != null && !m.content().isBlank()) {
                memory.remember(owner, m.id());
            }
        }
    }

    /**
     * Counts {@code added} new messages into the chat, shows {@code leafId} (null leaves the shown leaf as it
     * is) and moves its time forward to {@code updatedAt} when that is newer.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void finish(UUID owner, UUID chatId, UUID leafId, int added, Instant updatedAt) {
        history.finishChat(owner, chatId, leafId, added, updatedAt);
    }
}
