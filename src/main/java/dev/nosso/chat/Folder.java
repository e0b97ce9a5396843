package dev.nosso.chat;

import dev.nosso.platform.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** A named group of chats. Deleting it keeps its chats, which move out of any folder. */
public record Folder(UUID id, String name, Instant createdAt, Instant updatedAt) {

    static Folder fromRow(ResultSet rs, int row) throws SQLException {
        return new Folder(Rows.uuid(rs, "id"), rs.getString("name"), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }
}
