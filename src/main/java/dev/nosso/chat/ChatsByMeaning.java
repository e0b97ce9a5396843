package dev.nosso.chat;

import dev.nosso.retrieval.Passage;
import dev.nosso.retrieval.Retrieval;
import dev.nosso.retrieval.Scope;
import dev.nosso.retrieval.SearchMode;
import dev.nosso.retrieval.SearchRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * Chat search by meaning: the user's remembered messages are searched (hybrid: meaning and words), and
 * each chat is ranked by its best passage. Only chats whose messages were remembered can be found (see
 * memory in the README); deleted chats never are.
 */
@Service
class ChatsByMeaning {

    // Passages read to rank chats: enough that a page of chats is rarely cut short by one talkative chat.
    private static final int PASSAGES = 50;

    private final Retrieval retrieval;
    private final ChatRepository chats;

    ChatsByMeaning(Retrieval retrieval, ChatRepository chats) {
        this.retrieval = retrieval;
        this.chats = chats;
    }

    ChatPage search(UUID owner, String text, ChatFilter filter, int limit) {
        List<Passage> passages = retrieval.search(owner,
                new SearchRequest(text, PASSAGES, SearchMode.HYBRID, Scope.MEMORY));
        Set<UUID> ranked = new LinkedHashSet<>();
        for (Passage p : passages) {
            if (p.chatId() != null) {
                ranked.add(p.chatId());
            }
        }
        if (ranked.isEmpty()) {
            return new ChatPage(List.of(), null);
        }
        Map<UUID, Chat> found = chats.findAll(owner, ranked).stream()
                .collect(Collectors.toMap(Chat::id, Function.identity()));
        Map<UUID, List<String>> tags = chats.tagsOf(found.keySet());
        Map<UUID, List<UUID>> collections = chats.collectionsOf(found.keySet());
        List<Chat> items = new ArrayList<>();
        for (UUID id : ranked) {
            Chat chat = found.get(id);
            if (chat == null || items.size() == limit) {
                continue;
            }
            chat = chat.withTags(tags.getOrDefault(id, List.of())).withCollections(collections.getOrDefault(id, List.of()));
            if (matches(chat, filter)) {
                items.add(chat);
            }
        }
        return new ChatPage(items, null);
    }

    private static boolean matches(Chat chat, ChatFilter filter) {
        return (filter.pinned() == null || chat.pinned() == filter.pinned())
                && (filter.archived() == null || chat.archived() == filter.archived())
                && (filter.folderId() == null || filter.folderId().equals(chat.folderId()))
                && (filter.tag() == null || chat.tags().contains(filter.tag()));
    }
}
