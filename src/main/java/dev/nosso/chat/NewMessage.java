package dev.nosso.chat;

import java.util.List;
import java.util.UUID;

/**
 * A message to append.
 *
 * @param parentId where to attach it; null means the chat's active leaf
 * @param asRoot   attach it as a new root instead (a sibling of the chat's first message)
 * @param status   null means {@code complete}; the turn machinery passes {@code pending} for a placeholder
 * @param attachments files sent with it, checked by the caller to be the sender's
 */
public record NewMessage(MessageRole role, String content, UUID parentId, boolean asRoot, String model,
                         MessageStatus status, List<Attachment> attachments) {

    public NewMessage {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    public NewMessage(MessageRole role, String content, UUID parentId, boolean asRoot, String model,
                      MessageStatus status) {
        this(role, content, parentId, asRoot, model, status, List.of());
    }

    /** The same message with these files. */
    public NewMessage withAttachments(List<Attachment> files) {
        return new NewMessage(role, content, parentId, asRoot, model, status, files);
    }

    public static NewMessage of(MessageRole role, String content, UUID parentId) {
        return new NewMessage(role, content, parentId, false, null, null);
    }
}
