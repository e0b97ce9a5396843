package dev.nosso.transfer;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One application's way of writing a conversation in its export. A conversation is one JSON object, bounded in
 * size, so a reader takes it as a tree; the file around it is read as a stream ({@link ConversationFile}).
 */
interface Format {

    /** The source's name, stored with every id it brought in: {@code chatgpt}, {@code open-webui}, {@code nosso}. */
    String name();

    /** Whether a conversation object looks like this format's. */
    boolean reads(JsonNode conversation);

    /** The conversation, or empty (with the reason in the report) when it has nothing to import. */
    Optional<Conversation> read(JsonNode conversation, ImportReport report);
}
