package dev.nosso.retrieval;

import java.util.List;
import java.util.UUID;

/**
 * A search among one owner's chunks.
 *
 * @param query     what the user asked; at least one word
 * @param k         how many passages, 1 to the configured maximum (50)
 * @param mode      keyword, vector or hybrid; {@code null} means hybrid
 * @param sourceIds only these files' chunks; {@code null} means any file
 * @param chatIds   only messages of these chats; {@code null} means any chat
 * @param files     whether file chunks are searched at all
 * @param memory    whether message chunks (memory of past conversations) are searched at all
 */
public record SearchRequest(String query, int k, SearchMode mode, List<UUID> sourceIds, List<UUID> chatIds,
                            boolean files, boolean memory) {

    public SearchRequest {
        mode = mode == null ? SearchMode.HYBRID : mode;
        sourceIds = sourceIds == null ? null : List.copyOf(sourceIds);
        chatIds = chatIds == null ? null : List.copyOf(chatIds);
    }
}
