package dev.nosso.chat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** A user's folders. */
@Repository
class FolderRepository {

    private static final String COLUMNS = "id, name, created_at, updated_at";

    private final JdbcClient jdbc;

    FolderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID owner, UUID id, String name, Instant now) {
        jdbc.sql("INSERT INTO folders (id, user_id, name, created_at, updated_at) VALUES (:id, :owner, :name, :now, :now)")
                .param("id", id).param("owner", owner).param("name", name).param("now", now.toEpochMilli()).update();
    }

    Optional<Folder> find(UUID owner, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM folders WHERE id = :id AND user_id = :owner")
                .param("id", id).param("owner", owner).query(Folder::fromRow).optional();
    }

    /** The owner's oldest folder of this name (names need not be unique). */
    Optional<UUID> findByName(UUID owner, String name) {
        return jdbc.sql("SELECT id FROM folders WHERE user_id = :owner AND name = :name ORDER BY id LIMIT 1")
                .param("owner", owner).param("name", name).query((rs, row) -> UUID.fromString(rs.getString(1)))
                .optional();
    }

    boolean exists(UUID owner, UUID id) {
        return find(owner, id).isPresent();
    }

    List<Folder> list(UUID owner) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM folders WHERE user_id = :owner ORDER BY name, id")
                .param("owner", owner).query(Folder::fromRow).list();
    }

    boolean rename(UUID owner, UUID id, String name, Instant now) {
        return jdbc.sql("UPDATE folders SET name = :name, updated_at = :now WHERE id = :id AND user_id = :owner")
                .param("name", name).param("now", now.toEpochMilli()).param("id", id).param("owner", owner)
                .update() == 1;
    }

    boolean delete(UUID owner, UUID id) {
        return jdbc.sql("DELETE FROM folders WHERE id = :id AND user_id = :owner")
                .param("id", id).param("owner", owner).update() == 1;
    }
}
