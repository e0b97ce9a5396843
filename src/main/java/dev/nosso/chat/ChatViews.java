package dev.nosso.chat;

import dev.nosso.platform.NotFound;
import dev.nosso.platform.Reads;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * What the chat screen shows as it opens, each read in as few statements as the data allows and without a
 * transaction on PostgreSQL (no snapshot is needed across them): the sidebar's lists and filter choices in
 * four statements, and a chat with its latest window in four, whatever the chat's length or the user's
 * number of chats. The same data as {@code GET /chats}, {@code /folders}, {@code /tags}, {@code /chats/{id}}
 * and {@code /chats/{id}/messages}, which cost three to four statements and a transaction each.
 */
@Service
public class ChatViews {

    static final int PINNED_LIMIT = 100;

    private final ChatRepository chats;
    private final FolderRepository folders;
    private final TagRepository tags;
    private final Messages messages;
    private final Reads reads;

    ChatViews(ChatRepository chats, FolderRepository folders, TagRepository tags, Messages messages, Reads reads) {
        this.chats = chats;
        this.folders = folders;
        this.tags = tags;
        this.messages = messages;
        this.reads = reads;
    }

    /**
     * The sidebar as it opens, with no filter: the pinned chats (up to 100) and the first page of the other
     * unarchived ones, as {@code GET /chats?pinned=true&limit=100} and {@code GET /chats?pinned=false&limit=}
     * give them, and the choices of its filter (every folder, every tag with its number of chats).
     */
    public Sidebar sidebar(UUID owner, int pageSize) {
        return reads.run(() -> {
            List<Chat> listed = chats.withLabels(owner, chats.pinnedAndRecent(owner, PINNED_LIMIT, pageSize + 1));
            List<Chat> pinned = new ArrayList<>();
            List<Chat> recent = new ArrayList<>();
            listed.forEach(chat -> (chat.pinned() ? pinned : recent).add(chat));
            boolean more = recent.size() > pageSize;
            List<Chat> page = more ? recent.subList(0, pageSize) : recent;
            String next = more ? new Cursor(page.getLast().updatedAt(), page.getLast().id()).encode() : null;
            return new Sidebar(pinned, new ChatPage(List.copyOf(page), next), folders.list(owner), tags.counts(owner));
        });
    }

    /** A chat with its tags and collections, and the newest {@code limit} messages of its active branch. */
    public OpenedChat open(UUID owner, UUID chatId, int limit) {
        return reads.run(() -> {
            Chat chat = chats.find(owner, chatId).orElseThrow(() -> new NotFound("chat"));
            Chat labelled = chats.withLabels(owner, List.of(chat)).getFirst();
            BranchWindow window = messages.window(owner, chatId, chat.activeLeafId(), chat.activeLeafId(), limit);
            return new OpenedChat(labelled, MessageWindow.of(window));
        });
    }

    /** The sidebar's lists as it opens; the tag counts are {@code GET /tags}'s. */
    public record Sidebar(List<Chat> pinned, ChatPage chats, List<Folder> folders, List<TagRepository.TagCount> tags) {
    }

    public record OpenedChat(Chat chat, MessageWindow messages) {
    }
}
