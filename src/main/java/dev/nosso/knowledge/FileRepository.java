package dev.nosso.knowledge;

import dev.nosso.platform.Rows;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** A user's files. Ids are UUIDv7, so ordering by id is ordering by upload time. */
@Repository
class FileRepository {

    private static final String INSERT = """
            INSERT INTO files (id, user_id, name, media_type, size, sha256, storage_key, status, job_id, chat_id,
                               created_at, updated_at)
            VALUES (:id, :owner, :name, :mediaType, :size, :sha256, :storageKey, :status, :jobId, :chatId, :now, :now)
            """;

    private static final String FIRST_PAGE = """
            SELECT %s FROM files f WHERE f.user_id = :owner ORDER BY f.id DESC LIMIT :limit
            """.formatted(StoredFile.COLUMNS);

    private static final String PAGE_AFTER = """
            SELECT %s FROM files f WHERE f.user_id = :owner AND f.id < :after ORDER BY f.id DESC LIMIT :limit
            """.formatted(StoredFile.COLUMNS);

    private static final String IN_COLLECTION = """
            SELECT %s FROM files f JOIN collection_files cf ON cf.file_id = f.id
              JOIN collections c ON c.id = cf.collection_id
             WHERE c.id = :collectionId AND c.user_id = :owner AND f.user_id = :owner
             ORDER BY f.id DESC
            """.formatted(StoredFile.COLUMNS);

    private static final String IDS_IN_COLLECTIONS = """
            SELECT DISTINCT cf.file_id FROM collection_files cf JOIN collections c ON c.id = cf.collection_id
              JOIN files f ON f.id = cf.file_id
             WHERE c.id IN (:collectionIds) AND c.user_id = :owner AND f.user_id = :owner
            """;

    private static final String IN_CHAT = """
            SELECT %s FROM files f JOIN chat_files cf ON cf.file_id = f.id
              JOIN chats c ON c.id = cf.chat_id
             WHERE c.id = :chatId AND c.user_id = :owner AND c.deleted_at IS NULL AND f.user_id = :owner
             ORDER BY cf.added_at, f.id
            """.formatted(StoredFile.COLUMNS);

    // INSERT ... SELECT: the chat and the file must both be the owner's, or nothing is attached.
    private static final String ATTACH = """
            INSERT INTO chat_files (chat_id, file_id, added_at)
            SELECT c.id, f.id, :now FROM chats c, files f
             WHERE c.id = :chatId AND c.user_id = :owner AND c.deleted_at IS NULL AND f.id = :fileId AND f.user_id = :owner
            ON CONFLICT DO NOTHING
            """;

    private static final String DETACH = """
            DELETE FROM chat_files WHERE file_id = :fileId
               AND chat_id IN (SELECT c.id FROM chats c WHERE c.id = :chatId AND c.user_id = :owner AND c.deleted_at IS NULL)
            """;

    private final JdbcClient jdbc;

    FileRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID owner, StoredFile f, Instant now) {
        var insert = jdbc.sql(INSERT).param("id", f.id()).param("owner", owner).param("name", f.name())
                .param("mediaType", f.mediaType()).param("size", f.size()).param("sha256", f.sha256())
                .param("storageKey", f.storageKey()).param("now", now.toEpochMilli())
                .param("status", f.status().wire());
        insert = f.jobId() == null ? insert.param("jobId", null, Types.OTHER) : insert.param("jobId", f.jobId());
        (f.chatId() == null ? insert.param("chatId", null, Types.OTHER) : insert.param("chatId", f.chatId())).update();
    }

    Optional<StoredFile> find(UUID owner, UUID id) {
        return jdbc.sql("SELECT " + StoredFile.COLUMNS + " FROM files f WHERE f.id = :id AND f.user_id = :owner")
                .param("id", id).param("owner", owner).query(StoredFile::fromRow).optional();
    }

    Optional<StoredFile> findBySha256(UUID owner, String sha256) {
        return jdbc.sql("SELECT " + StoredFile.COLUMNS + " FROM files f WHERE f.user_id = :owner AND f.sha256 = :sha256")
                .param("owner", owner).param("sha256", sha256).query(StoredFile::fromRow).optional();
    }

    List<StoredFile> page(UUID owner, UUID after, int limit) {
        var page = after == null ? jdbc.sql(FIRST_PAGE) : jdbc.sql(PAGE_AFTER).param("after", after);
        return page.param("owner", owner).param("limit", limit).query(StoredFile::fromRow).list();
    }

    List<StoredFile> inCollection(UUID owner, UUID collectionId) {
        return jdbc.sql(IN_COLLECTION).param("owner", owner).param("collectionId", collectionId)
                .query(StoredFile::fromRow).list();
    }

    /** Which of {@code ids} are the owner's files. */
    List<UUID> owned(UUID owner, Collection<UUID> ids) {
        return jdbc.sql("SELECT f.id FROM files f WHERE f.user_id = :owner AND f.id IN (:ids)")
                .param("owner", owner).param("ids", ids).query((rs, row) -> Rows.uuid(rs, "id"))
                .list();
    }

    List<UUID> idsInCollections(UUID owner, Collection<UUID> collectionIds) {
        return jdbc.sql(IDS_IN_COLLECTIONS).param("owner", owner).param("collectionIds", collectionIds)
                .query((rs, row) -> Rows.uuid(rs, "file_id")).list();
    }

    /** The files attached to the owner's chat, in the order they were attached. */
    List<StoredFile> inChat(UUID owner, UUID chatId) {
        return jdbc.sql(IN_CHAT).param("owner", owner).param("chatId", chatId).query(StoredFile::fromRow).list();
    }

    void attach(UUID owner, UUID chatId, Collection<UUID> fileIds, Instant now) {
        for (UUID fileId : fileIds) {
            jdbc.sql(ATTACH).param("now", now.toEpochMilli()).param("chatId", chatId).param("owner", owner)
                    .param("fileId", fileId).update();
        }
    }

    boolean detach(UUID owner, UUID chatId, UUID fileId) {
        return jdbc.sql(DETACH).param("owner", owner).param("chatId", chatId).param("fileId", fileId).update() == 1;
    }

    boolean setStatus(UUID owner, UUID id, FileStatus status, String error, Instant now) {
        var update = jdbc.sql("""
                UPDATE files SET status = :status, error = :error, updated_at = :now WHERE id = :id AND user_id = :owner
                """).param("status", status.wire()).param("now", now.toEpochMilli()).param("id", id)
                .param("owner", owner);
        return (error == null ? update.param("error", null, Types.VARCHAR) : update.param("error", error)).update() == 1;
    }

    boolean delete(UUID owner, UUID id) {
        return jdbc.sql("DELETE FROM files WHERE id = :id AND user_id = :owner")
                .param("id", id).param("owner", owner).update() == 1;
    }

    /** Whether any user's file still has these bytes; not user data, only whether the blob may go. */
    boolean referenced(String storageKey) {
        return jdbc.sql("SELECT COUNT(*) FROM files WHERE storage_key = :key").param("key", storageKey)
                .query(Long.class).single() > 0;
    }

    /** Whether the owner has this chat: a file may be attached to one of their chats only. */
    /** What the owner uploaded since {@code since}: its bytes, and when the oldest of it came (null for nothing). */
    record Uploaded(long bytes, Instant oldest) {
    }

    // Through files_user_created: the owner's files of the period only.
    Uploaded uploadedSince(UUID owner, Instant since) {
        return jdbc.sql("""
                SELECT COALESCE(SUM(size), 0) AS bytes, MIN(created_at) AS oldest FROM files
                 WHERE user_id = :owner AND created_at > :since
                """).param("owner", owner).param("since", since.toEpochMilli())
                .query((rs, row) -> {
                    long oldest = rs.getLong("oldest");
                    return new Uploaded(rs.getLong("bytes"), rs.wasNull() ? null : Instant.ofEpochMilli(oldest));
                }).single();
    }

    boolean ownsChat(UUID owner, UUID chatId) {
        return jdbc.sql("SELECT COUNT(*) FROM chats WHERE id = :id AND user_id = :owner AND deleted_at IS NULL")
                .param("id", chatId).param("owner", owner).query(Long.class).single() > 0;
    }
}
