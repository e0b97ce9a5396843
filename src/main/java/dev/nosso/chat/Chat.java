package dev.nosso.chat;

import dev.nosso.platform.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A conversation: its settings and a pointer to the leaf of the branch being shown. */
public record Chat(UUID id, String title, UUID folderId, boolean pinned, boolean archived, UUID activeLeafId,
                   int messageCount, List<String> tags, Instant createdAt, Instant updatedAt) {

    static final String COLUMNS = "c.id, c.title, c.folder_id, c.pinned, c.archived, c.active_leaf_id, "
            + "c.message_count, c.created_at, c.updated_at";

    static Chat fromRow(ResultSet rs, int row) throws SQLException {
        return new Chat(Rows.uuid(rs, "id"), rs.getString("title"), Rows.uuid(rs, "folder_id"),
                rs.getBoolean("pinned"), rs.getBoolean("archived"), Rows.uuid(rs, "active_leaf_id"),
                rs.getInt("message_count"), List.of(), Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
    }

    Chat withTags(List<String> newTags) {
        return new Chat(id, title, folderId, pinned, archived, activeLeafId, messageCount, List.copyOf(newTags),
                createdAt, updatedAt);
    }
}
