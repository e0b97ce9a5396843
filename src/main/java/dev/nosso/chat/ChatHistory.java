package dev.nosso.chat;

import dev.nosso.platform.Reads;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A user's chats read whole for an export: pages of chats, and each chat's messages one at a time, so that an
 * export of any size holds one page and one message in memory. Each chat is read in one read-only transaction,
 * a consistent picture of its tree.
 */
@Service
public class ChatHistory {

    private final HistoryRepository history;
    private final ChatRepository chats;
    private final FolderRepository folders;
    private final Reads reads;

    ChatHistory(HistoryRepository history, ChatRepository chats, FolderRepository folders, Reads reads) {
        this.history = history;
        this.chats = chats;
        this.folders = folders;
        this.reads = reads;
    }

    private static final int PAGE = 200;

    /**
     * Every chat of the owner's with its tags, in id order, read a page at a time (each page a short read of its
     * own).
     */
    public void eachChat(UUID owner, Consumer<Chat> each) {
        UUID after = new UUID(0, 0);
        List<Chat> page;
        do {
            UUID from = after;
            page = reads.run(() -> chats.withLabels(owner, history.chatPage(owner, from, PAGE)));
            page.forEach(each);
            after = page.isEmpty() ? after : page.getLast().id();
        } while (page.size() == PAGE);
    }

    /** The names of the owner's folders, by id. */
    public Map<UUID, String> folderNames(UUID owner) {
        Map<UUID, String> names = new HashMap<>();
        reads.run(() -> folders.list(owner)).forEach(f -> names.put(f.id(), f.name()));
        return names;
    }

    /** Whether the owner has a chat of this id. */
    @Transactional(readOnly = true)
    public boolean has(UUID owner, UUID chatId) {
        return history.has(owner, chatId);
    }

    /** Every message of the chat, parents before children; nothing for a chat that is not the owner's. */
    @Transactional(readOnly = true)
    public void eachMessage(UUID owner, UUID chatId, Consumer<Message> each) {
        history.eachMessage(owner, chatId, each);
    }

    /** The messages of the chat's shown branch, oldest first. */
    @Transactional(readOnly = true)
    public void eachOnActiveBranch(UUID owner, UUID chatId, Consumer<Message> each) {
        history.eachOnActiveBranch(owner, chatId, each);
    }
}
