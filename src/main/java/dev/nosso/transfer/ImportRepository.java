package dev.nosso.transfer;

import dev.nosso.platform.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The imports table, and imported_sources: what each source's conversations and messages became. */
@Repository
class ImportRepository {

    private static final String COLUMNS = """
            id, name, size, storage_key, job_id, status, format, report, error, created_at, updated_at""";

    private static final String INSERT = """
            INSERT INTO imports (id, user_id, name, size, storage_key, job_id, status, created_at, updated_at)
            VALUES (:id, :owner, :name, :size, :key, :jobId, 'queued', :now, :now)
            """;

    private static final String UPDATE = """
            UPDATE imports SET status = :status, format = :format, report = :report, error = :error, updated_at = :now
             WHERE id = :id AND user_id = :owner
            """;

    private static final String PAGE = "SELECT " + COLUMNS + """
             FROM imports WHERE user_id = :owner AND id < :before ORDER BY id DESC LIMIT :limit
            """;

    private static final String CHAT_OF = """
            SELECT chat_id, import_id FROM imported_sources
             WHERE user_id = :owner AND source = :source AND source_id = :sourceId AND message_id IS NULL
            """;

    // Every message of the chat that came from a source, by its id there (conversation id, a slash, message id).
    private static final String MESSAGES_OF = """
            SELECT source_id, message_id, import_id FROM imported_sources
             WHERE chat_id = :chatId AND user_id = :owner AND message_id IS NOT NULL
            """;

    private static final String INSERT_SOURCE = """
            INSERT INTO imported_sources (user_id, source, source_id, chat_id, message_id, import_id)
            VALUES (:owner, :source, :sourceId, :chatId, :messageId, :importId)
            """;

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batches;

    ImportRepository(JdbcClient jdbc, NamedParameterJdbcTemplate batches) {
        this.jdbc = jdbc;
        this.batches = batches;
    }

    void insert(UUID owner, UUID id, String name, long size, String key, UUID jobId, Instant now) {
        jdbc.sql(INSERT).param("id", id).param("owner", owner).param("name", name).param("size", size)
                .param("key", key).param("jobId", jobId).param("now", now.toEpochMilli()).update();
    }

    void update(UUID owner, UUID id, ImportView.Status status, String format, String report, String error,
                Instant now) {
        jdbc.sql(UPDATE).param("status", status.wire()).param("format", format).param("report", report)
                .param("error", error).param("now", now.toEpochMilli()).param("id", id).param("owner", owner).update();
    }

    Optional<Row> find(UUID owner, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM imports WHERE id = :id AND user_id = :owner")
                .param("id", id).param("owner", owner).query(Row::fromRow).optional();
    }

    /** The owner's imports newest first, those before {@code before}. */
    List<Row> page(UUID owner, UUID before, int limit) {
        return jdbc.sql(PAGE).param("owner", owner).param("before", before).param("limit", limit)
                .query(Row::fromRow).list();
    }

    /** An import as stored: its report as JSON text. */
    record Row(UUID id, String name, long size, String storageKey, UUID jobId, ImportView.Status status,
               String format, String report, String error, Instant createdAt, Instant updatedAt) {

        static Row fromRow(ResultSet rs, int row) throws SQLException {
            return new Row(Rows.uuid(rs, "id"), rs.getString("name"), rs.getLong("size"), rs.getString("storage_key"),
                    Rows.uuid(rs, "job_id"), ImportView.Status.ofWire(rs.getString("status")), rs.getString("format"),
                    rs.getString("report"), rs.getString("error"), Rows.instant(rs, "created_at"),
                    Rows.instant(rs, "updated_at"));
        }
    }

    /** A chat or message some import brought in: what it became and which import brought it. */
    record Imported(UUID id, UUID importId) {
    }

    Optional<Imported> chatOf(UUID owner, String source, String sourceId) {
        return jdbc.sql(CHAT_OF).param("owner", owner).param("source", source).param("sourceId", sourceId)
                .query((rs, row) -> new Imported(Rows.uuid(rs, "chat_id"), Rows.uuid(rs, "import_id"))).optional();
    }

    /** The chat's imported messages by their source id. */
    Map<String, Imported> messagesOf(UUID owner, UUID chatId) {
        Map<String, Imported> found = new HashMap<>();
        jdbc.sql(MESSAGES_OF).param("chatId", chatId).param("owner", owner).query((rs, row) -> found.put(
                rs.getString("source_id"), new Imported(Rows.uuid(rs, "message_id"), Rows.uuid(rs, "import_id"))))
                .list();
        return found;
    }

    /** A source id and what it became; {@code messageId} null for the conversation itself. */
    record Source(String sourceId, UUID chatId, UUID messageId) {
    }

    void insertSources(UUID owner, String source, UUID importId, List<Source> rows) {
        if (rows.isEmpty()) {
            return;
        }
        SqlParameterSource[] batch = rows.stream().map(r -> {
            var values = new MapSqlParameterSource("owner", owner).addValue("source", source)
                    .addValue("sourceId", r.sourceId()).addValue("chatId", r.chatId()).addValue("importId", importId);
            // A null names no type PostgreSQL could take for a uuid column: say it is one.
            return r.messageId() == null ? values.addValue("messageId", null, Types.OTHER)
                    : values.addValue("messageId", r.messageId());
        }).toArray(SqlParameterSource[]::new);
        batches.batchUpdate(INSERT_SOURCE, batch);
    }
}
