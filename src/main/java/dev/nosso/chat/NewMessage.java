package dev.nosso.chat;

import java.util.UUID;

/**
 * A message to append.
 *
 * @param parentId where to attach it; null means the chat's active leaf
 * @param asRoot   attach it as a new root instead (a sibling of the chat's first message)
 * @param status   null means {@code complete}; the turn machinery passes {@code pending} for a placeholder
 */
public record NewMessage(MessageRole role, String content, UUID parentId, boolean asRoot, String model,
                         MessageStatus status) {

    public static NewMessage of(MessageRole role, String content, UUID parentId) {
        return new NewMessage(role, content, parentId, false, null, null);
    }
}
