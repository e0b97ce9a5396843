package dev.nosso.knowledge;

import dev.nosso.platform.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A named set of a user's files, searched together; {@code files} is filled when one collection is read. */
public record Collection(UUID id, String name, String description, int fileCount, Instant createdAt,
                         Instant updatedAt, List<StoredFile> files) {

    static Collection fromRow(ResultSet rs, int row) throws SQLException {
        return new Collection(Rows.uuid(rs, "id"), rs.getString("name"), rs.getString("description"),
                rs.getInt("file_count"), Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"), null);
    }

    Collection withFiles(List<StoredFile> files) {
        return new Collection(id, name, description, files.size(), createdAt, updatedAt, files);
    }
}
