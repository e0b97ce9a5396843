package dev.nosso.knowledge;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.nosso.platform.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** An uploaded file and where its ingestion is; {@code error} says why it failed, or what was left out. */
public record StoredFile(UUID id, String name, String mediaType, long size, String sha256, FileStatus status,
                         String error, UUID jobId, UUID chatId, Instant createdAt, Instant updatedAt,
                         @JsonIgnore String storageKey) {

    static final String COLUMNS = """
            f.id, f.name, f.media_type, f.size, f.sha256, f.status, f.error, f.job_id, f.chat_id, f.created_at, \
            f.updated_at, f.storage_key""";

    static StoredFile fromRow(ResultSet rs, int row) throws SQLException {
        return new StoredFile(Rows.uuid(rs, "id"), rs.getString("name"), rs.getString("media_type"),
                rs.getLong("size"), rs.getString("sha256"), FileStatus.ofWire(rs.getString("status")),
                rs.getString("error"), Rows.uuid(rs, "job_id"), Rows.uuid(rs, "chat_id"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"), rs.getString("storage_key"));
    }
}
