package dev.nosso.transfer;

import dev.nosso.chat.MessageRole;
import dev.nosso.chat.MessageStatus;
import dev.nosso.chat.Source;
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
 * @param folder       the name of the folder it was filed in; null for none
 * @param tags         its tags' names
 */
record Conversation(String source, String sourceId, String title, String model, String systemPrompt, boolean pinned,
                    boolean archived, Instant createdAt, Instant updatedAt, List<Turn> messages,
                    String activeLeafId, String folder, List<String> tags) {

    /** A conversation from an application that has no folders or tags Nosso can read. */
    Conversation(String source, String sourceId, String title, String model, String systemPrompt, boolean pinned,
                 boolean archived, Instant createdAt, Instant updatedAt, List<Turn> messages, String activeLeafId) {
        this(source, sourceId, title, model, systemPrompt, pinned, archived, createdAt, updatedAt, messages,
                activeLeafId, null, List.of());
    }

    /**
     * A message of the conversation.
     *
     * @param parentId the source id of its parent, null for a root
     * @param depth    0 for a root, its parent's plus one otherwise
     * @param sources  the passages an answer cited, as the source saved them; empty for none
     */
    record Turn(String id, String parentId, int depth, MessageRole role, String content, String model,
                MessageStatus status, String error, Instant createdAt, Instant updatedAt, List<Source> sources) {
    }
}
