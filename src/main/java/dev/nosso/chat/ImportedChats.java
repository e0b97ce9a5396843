package dev.nosso.chat;

import dev.nosso.memory.MessageMemory;
import dev.nosso.platform.Ids;
import dev.nosso.platform.Limits;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
    private final FolderRepository folders;
    private final TagRepository tags;
    private final Limits limits;
    private final Clock clock;

    ImportedChats(HistoryRepository history, MessageRepository messages, MessageMemory memory,
                  FolderRepository folders, TagRepository tags, Limits limits, Clock clock) {
        this.history = history;
        this.messages = messages;
        this.memory = memory;
        this.folders = folders;
        this.tags = tags;
        this.limits = limits;
        this.clock = clock;
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
            if (m.sources() != null && !m.sources().isEmpty()) {
                messages.setSources(m.id(), Message.sourcesToJson(m.sources())); // the answer's citations
            }
            if (!m.status().unfinished() && m.content() != null && !m.content().isBlank()) {
                memory.remember(owner, m.id());
            }
        }
    }

    /**
     * Files the chat in the owner's folder of that name (made when there is none) and gives it these tags; a
     * name that cannot be a folder's or a tag's is left out and returned, for the import's report.
     *
     * @return the names left out
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<String> label(UUID owner, UUID chatId, String folder, List<String> tagNames) {
        List<String> leftOut = new ArrayList<>();
        Instant now = clock.instant();
        if (folder != null && !folder.isBlank()) {
            String name = folder.strip();
            if (name.length() > limits.maxTitleChars()) {
                leftOut.add(folder);
            } else {
                UUID folderId = folders.findByName(owner, name).orElseGet(() -> {
                    UUID id = Ids.next();
                    folders.insert(owner, id, name, now);
                    return id;
                });
                history.file(owner, chatId, folderId);
            }
        }
        for (String tagName : tagNames) {
            String name;
            try {
                name = Tags.normalise(tagName);
            } catch (RuntimeException e) { // blank, too long, or not storable text
                leftOut.add(tagName);
                continue;
            }
            tags.attach(chatId, tags.findOrCreate(owner, name, now));
        }
        return leftOut;
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
