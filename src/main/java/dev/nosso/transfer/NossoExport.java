package dev.nosso.transfer;

import dev.nosso.chat.Chat;
import dev.nosso.chat.ChatHistory;
import dev.nosso.chat.Message;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes chats as Nosso's export ({@link NossoFormat} reads it back): every branch of every chat, parents
 * before children, streamed as it is read, so that an export of any size holds one page of chats and one
 * message in memory. {@code format} comes first, which is how a reader tells this format without reading on.
 */
@Component
class NossoExport {

    private final ChatHistory history;
    private final JsonMapper json;
    private final Clock clock;

    NossoExport(ChatHistory history, JsonMapper json, Clock clock) {
        this.history = history;
        this.json = json;
        this.clock = clock;
    }

    /** One chat, or (with {@code only} null) all of the owner's chats, in id order. */
    void write(UUID owner, Chat only, OutputStream out) {
        Map<UUID, String> folders = history.folderNames(owner);
        try (JsonGenerator gen = json.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringProperty("format", NossoFormat.FORMAT);
            gen.writeNumberProperty("version", NossoFormat.VERSION);
            gen.writeStringProperty("exportedAt", clock.instant().toString());
            gen.writeName("chats");
            gen.writeStartArray();
            if (only != null) {
                chat(gen, owner, only, folders);
            } else {
                history.eachChat(owner, chat -> chat(gen, owner, chat, folders));
            }
            gen.writeEndArray();
            gen.writeEndObject();
        }
    }

    private void chat(JsonGenerator gen, UUID owner, Chat chat, Map<UUID, String> folders) {
        gen.writeStartObject();
        gen.writeStringProperty("id", chat.id().toString());
        gen.writeStringProperty("title", chat.title());
        gen.writeStringProperty("createdAt", time(chat.createdAt()));
        gen.writeStringProperty("updatedAt", time(chat.updatedAt()));
        gen.writeBooleanProperty("pinned", chat.pinned());
        gen.writeBooleanProperty("archived", chat.archived());
        gen.writeStringProperty("model", chat.model());
        gen.writeStringProperty("systemPrompt", chat.systemPrompt());
        gen.writeStringProperty("activeLeafId", chat.activeLeafId() == null ? null : chat.activeLeafId().toString());
        // The folder by name: an import into another account files the chat in its folder of that name.
        gen.writeStringProperty("folder", chat.folderId() == null ? null : folders.get(chat.folderId()));
        gen.writeName("tags");
        gen.writeStartArray();
        for (String tag : chat.tags()) {
            gen.writeString(tag);
        }
        gen.writeEndArray();
        gen.writeName("messages");
        gen.writeStartArray();
        history.eachMessage(owner, chat.id(), m -> message(gen, m));
        gen.writeEndArray();
        gen.writeEndObject();
    }

    private void message(JsonGenerator gen, Message m) {
        gen.writeStartObject();
        gen.writeStringProperty("id", m.id().toString());
        gen.writeStringProperty("parentId", m.parentId() == null ? null : m.parentId().toString());
        gen.writeStringProperty("role", m.role().wire());
        gen.writeStringProperty("content", m.content());
        gen.writeStringProperty("model", m.model());
        gen.writeStringProperty("status", m.status().wire());
        gen.writeStringProperty("error", m.error());
        if (m.usage() != null) {
            gen.writeName("usage");
            gen.writePOJO(m.usage());
        }
        if (m.sources() != null && !m.sources().isEmpty()) {
            gen.writeName("sources"); // the answer's citations, as saved when it was grounded
            gen.writePOJO(m.sources());
        }
        gen.writeStringProperty("createdAt", time(m.createdAt()));
        gen.writeStringProperty("updatedAt", time(m.updatedAt()));
        gen.writeEndObject();
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
