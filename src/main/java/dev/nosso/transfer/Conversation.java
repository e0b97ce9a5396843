package dev.nosso.transfer;

import dev.nosso.chat.MessageRole;
import dev.nosso.chat.MessageStatus;
import java.time.Instant;
import java.util.List;

/**
 * One conversation as a reader found it in an export, before it is written: ids are the source's, messages come
 * parents first, and hidden or tool messages are already left out (their children hang from the nearest message
 * kept). Its texts are storable ({@link ImportReport#storable}).
 *
 * @param source       which application it came from: {@code chatgpt}, {@code open-webui} or {@code nosso}
 * @param sourceId     its id there, stable across exports of the same account
 * @param activeLeafId the source id of the message the source showed last; null for the newest leaf
 */
record Conversation(String source, String sourceId, String title, String model, String systemPrompt, boolean pinned,
                    boolean archived, Instant createdAt, Instant updatedAt, List<Turn> messages,
                    String activeLeafId) {

    /**
     * A message of the conversation.
     *
     * @param parentId the source id of its parent, null for a root
     * @param depth    0 for a root, its parent's plus one otherwise
     */
    record Turn(String id, String parentId, int depth, MessageRole role, String content, String model,
                MessageStatus status, String error, Instant createdAt, Instant updatedAt) {
    }
}
