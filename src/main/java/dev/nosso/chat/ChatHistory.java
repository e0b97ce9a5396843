package dev.nosso.chat;

import dev.nosso.platform.Reads;
import java.util.List;
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
    private final Reads reads;

    ChatHistory(HistoryRepository history, Reads reads) {
        this.history = history;
        this.reads = reads;
    }

    private static final int PAGE = 200;

    /** Every chat of the owner's, in id order, read a page at a time (each page a short read of its own). */
    public void eachChat(UUID owner, Consumer<Chat> each) {
        UUID after = new UUID(0, 0);
        List<Chat> page;
        do {
            UUID from = after;
            page = reads.run(() -> history.chatPage(owner, from, PAGE));
            page.forEach(each);
            after = page.isEmpty() ? after : page.getLast().id();
        } while (page.size() == PAGE);
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
