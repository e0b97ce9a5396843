package dev.nosso.knowledge;

import dev.nosso.platform.Rows;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** A user's collections and which of their files each holds. */
@Repository
class CollectionRepository {

    private static final String SELECT = """
            SELECT c.id, c.name, c.description, c.created_at, c.updated_at,
                   (SELECT COUNT(*) FROM collection_files cf WHERE cf.collection_id = c.id) AS file_count
              FROM collections c
            """;

    // INSERT ... SELECT: the collection and the file must both be the owner's, or nothing is added.
    private static final String ADD_FILE = """
            INSERT INTO collection_files (collection_id, file_id, added_at)
            SELECT c.id, f.id, :now FROM collections c, files f
             WHERE c.id = :collectionId AND c.user_id = :owner AND f.id = :fileId AND f.user_id = :owner
            ON CONFLICT DO NOTHING
            """;

    private static final String REMOVE_FILE = """
            DELETE FROM collection_files WHERE file_id = :fileId
               AND collection_id IN (SELECT c.id FROM collections c WHERE c.id = :collectionId AND c.user_id = :owner)
            """;

    private final JdbcClient jdbc;

    CollectionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID owner, UUID id, String name, String description, Instant now) {
        var insert = jdbc.sql("""
                INSERT INTO collections (id, user_id, name, description, created_at, updated_at)
                VALUES (:id, :owner, :name, :description, :now, :now)
                """).param("id", id).param("owner", owner).param("name", name).param("now", now.toEpochMilli());
        (description == null ? insert.param("description", null, Types.VARCHAR) : insert.param("description", description))
                .update();
    }

    Optional<Collection> find(UUID owner, UUID id) {
        return jdbc.sql(SELECT + " WHERE c.id = :id AND c.user_id = :owner")
                .param("id", id).param("owner", owner).query(Collection::fromRow).optional();
    }

    List<Collection> list(UUID owner) {
        return jdbc.sql(SELECT + " WHERE c.user_id = :owner ORDER BY c.name, c.id")
                .param("owner", owner).query(Collection::fromRow).list();
    }

    boolean update(UUID owner, UUID id, String name, String description, Instant now) {
        var update = jdbc.sql("""
                UPDATE collections SET name = :name, description = :description, updated_at = :now
                 WHERE id = :id AND user_id = :owner
                """).param("name", name).param("now", now.toEpochMilli()).param("id", id).param("owner", owner);
        return (description == null ? update.param("description", null, Types.VARCHAR)
                : update.param("description", description)).update() == 1;
    }

    boolean delete(UUID owner, UUID id) {
        return jdbc.sql("DELETE FROM collections WHERE id = :id AND user_id = :owner")
                .param("id", id).param("owner", owner).update() == 1;
    }

    void addFiles(UUID owner, UUID collectionId, List<UUID> fileIds, Instant now) {
        for (UUID fileId : fileIds) {
            jdbc.sql(ADD_FILE).param("now", now.toEpochMilli()).param("collectionId", collectionId)
                    .param("owner", owner).param("fileId", fileId).update();
        }
        touch(owner, collectionId, now);
    }

    boolean removeFile(UUID owner, UUID collectionId, UUID fileId, Instant now) {
        boolean removed = jdbc.sql(REMOVE_FILE).param("fileId", fileId).param("collectionId", collectionId)
                .param("owner", owner).update() == 1;
        if (removed) {
            touch(owner, collectionId, now);
        }
        return removed;
    }

    /** Which of {@code ids} are the owner's collections. */
    List<UUID> owned(UUID owner, java.util.Collection<UUID> ids) {
        return jdbc.sql("SELECT c.id FROM collections c WHERE c.user_id = :owner AND c.id IN (:ids)")
                .param("owner", owner).param("ids", ids).query((rs, row) -> Rows.uuid(rs, "id")).list();
    }

    private void touch(UUID owner, UUID collectionId, Instant now) {
        jdbc.sql("UPDATE collections SET updated_at = :now WHERE id = :id AND user_id = :owner")
                .param("now", now.toEpochMilli()).param("id", collectionId).param("owner", owner).update();
    }
}
