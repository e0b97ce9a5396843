package dev.nosso.chat;

import dev.nosso.platform.Dialect;
import dev.nosso.platform.Ids;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Tags and the chats that carry them. */
@Repository
class TagRepository {

    record TagCount(String name, int chatCount) {
    }

    private static final String FIND = "SELECT id FROM tags WHERE user_id = :owner AND name = :name";
    private static final String INSERT = """
            INSERT INTO tags (id, user_id, name, created_at) VALUES (:id, :owner, :name, :now)
            """;
    private static final String ATTACH_SQLITE = "INSERT OR IGNORE INTO chat_tags (chat_id, tag_id) VALUES (:chatId, :tagId)";
    private static final String ATTACH_POSTGRESQL = """
            INSERT INTO chat_tags (chat_id, tag_id) VALUES (:chatId, :tagId) ON CONFLICT DO NOTHING
            """;
    private static final String DETACH = """
            DELETE FROM chat_tags WHERE chat_id = :chatId
               AND tag_id IN (SELECT t.id FROM tags t WHERE t.user_id = :owner AND t.name = :name)
            """;
    private static final String DELETE_UNUSED = """
            DELETE FROM tags WHERE user_id = :owner
               AND NOT EXISTS (SELECT 1 FROM chat_tags ct WHERE ct.tag_id = tags.id)
            """;
    private static final String COUNTS = """
            SELECT t.name, COUNT(ct.chat_id) AS chats FROM tags t LEFT JOIN chat_tags ct ON ct.tag_id = t.id
             WHERE t.user_id = :owner GROUP BY t.name ORDER BY t.name
            """;

    private final JdbcClient jdbc;
    private final Dialect dialect;

    TagRepository(JdbcClient jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    UUID findOrCreate(UUID owner, String name, Instant now) {
        return jdbc.sql(FIND).param("owner", owner).param("name", name)
                .query((rs, row) -> UUID.fromString(rs.getString(1))).optional()
                .orElseGet(() -> {
                    UUID id = Ids.next();
                    jdbc.sql(INSERT).param("id", id).param("owner", owner).param("name", name)
                            .param("now", now.toEpochMilli()).update();
                    return id;
                });
    }

    void attach(UUID chatId, UUID tagId) {
        jdbc.sql(dialect.pick(ATTACH_SQLITE, ATTACH_POSTGRESQL)).param("chatId", chatId).param("tagId", tagId).update();
    }

    boolean detach(UUID owner, UUID chatId, String name) {
        return jdbc.sql(DETACH).param("chatId", chatId).param("owner", owner).param("name", name).update() > 0;
    }

    void deleteUnused(UUID owner) {
        jdbc.sql(DELETE_UNUSED).param("owner", owner).update();
    }

    List<TagCount> counts(UUID owner) {
        return jdbc.sql(COUNTS).param("owner", owner)
                .query((rs, row) -> new TagCount(rs.getString("name"), rs.getInt("chats"))).list();
    }
}
