package dev.nosso.chat;

import dev.nosso.platform.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A conversation: its settings and a pointer to the leaf of the branch being shown.
 *
 * @param model        the model a new turn uses when the request names none (the last one used)
 * @param systemPrompt null falls back to the user's default
 * @param temperature  null leaves it to the provider
 * @param maxTokens    the longest answer; null leaves it to the provider
 * @param collectionIds the collections a turn is grounded on when it names none itself
 * @param memory       whether a turn searches the owner's past messages when it does not say
 */
public record Chat(UUID id, String title, UUID folderId, boolean pinned, boolean archived, UUID activeLeafId,
                   int messageCount, List<String> tags, String model, String systemPrompt, Double temperature,
                   Integer maxTokens, List<UUID> collectionIds, boolean memory, Instant createdAt,
                   Instant updatedAt) {

    /** The title of a chat nobody named yet; a generated title replaces only this one. */
    public static final String DEFAULT_TITLE = "New chat";

    static final String COLUMNS = "c.id, c.title, c.folder_id, c.pinned, c.archived, c.active_leaf_id, "
            + "c.message_count, c.model, c.system_prompt, c.temperature, c.max_tokens, c.memory, c.created_at, c.updated_at";

    static Chat fromRow(ResultSet rs, int row) throws SQLException {
        return new Chat(Rows.uuid(rs, "id"), rs.getString("title"), Rows.uuid(rs, "folder_id"),
                rs.getBoolean("pinned"), rs.getBoolean("archived"), Rows.uuid(rs, "active_leaf_id"),
                rs.getInt("message_count"), List.of(), rs.getString("model"), rs.getString("system_prompt"),
                rs.getObject("temperature") == null ? null : rs.getDouble("temperature"),
                rs.getObject("max_tokens") == null ? null : rs.getInt("max_tokens"), List.of(),
                rs.getBoolean("memory"), Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
    }

    Chat withTags(List<String> newTags) {
        return new Chat(id, title, folderId, pinned, archived, activeLeafId, messageCount, List.copyOf(newTags),
                model, systemPrompt, temperature, maxTokens, collectionIds, memory, createdAt, updatedAt);
    }

    Chat withCollections(List<UUID> ids) {
        return new Chat(id, title, folderId, pinned, archived, activeLeafId, messageCount, tags, model, systemPrompt,
                temperature, maxTokens, List.copyOf(ids), memory, createdAt, updatedAt);
    }
}
