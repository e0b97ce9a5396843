package dev.nosso.chat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A user's whole history as an export reads it, a row at a time, and the rows an import writes with the times
 * they had where they came from. Reads stream with a fetch size, so that a chat of any length costs the
 * database's sort, never this process's memory.
 */
@Repository
class HistoryRepository {

    private static final int FETCH_SIZE = 256;

    private static final String INSERT_CHAT = """
            INSERT INTO chats (id, user_id, title, model, system_prompt, pinned, archived, message_count, created_at,
                               updated_at)
            VALUES (:id, :owner, :title, :model, :systemPrompt, :pinned, :archived, 0, :createdAt, :updatedAt)
            """;

    // The chat's newest time stays when the import's is older: a chat continued here keeps its place in the list.
    private static final String FINISH_CHAT = """
            UPDATE chats SET active_leaf_id = COALESCE(:leafId, active_leaf_id), message_count = message_count + :added,
                   updated_at = CASE WHEN updated_at > :updatedAt THEN updated_at ELSE :updatedAt END
             WHERE id = :chatId AND user_id = :owner
            """;

    // Keyset over the owner's chats in id order: a page costs the page at any depth.
    private static final String CHAT_PAGE = "SELECT " + Chat.COLUMNS + """
             FROM chats c WHERE c.user_id = :owner AND c.deleted_at IS NULL AND c.id > :after ORDER BY c.id LIMIT :limit
            """;

    // Parents before children, so that an import can place each message as it reads it.
    private static final String MESSAGES = "SELECT " + Message.COLUMNS + """
             FROM chats c JOIN messages m ON m.chat_id = c.id
             WHERE c.id = :chatId AND c.user_id = :owner AND c.deleted_at IS NULL AND NOT m.deleting
             ORDER BY m.depth, m.id
            """;

    private static final String ACTIVE_BRANCH = """
            WITH RECURSIVE branch (id, parent_id) AS (
                SELECT m.id, m.parent_id FROM chats c JOIN messages m ON m.id = c.active_leaf_id
                 WHERE c.id = :chatId AND c.user_id = :owner AND c.deleted_at IS NULL
                UNION ALL
                SELECT m.id, m.parent_id FROM messages m JOIN branch b ON m.id = b.parent_id)
            SELECT\s""" + Message.COLUMNS + """
             FROM messages m JOIN branch b ON m.id = b.id ORDER BY m.depth
            """;

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate streaming;

    HistoryRepository(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setFetchSize(FETCH_SIZE); // PostgreSQL then reads through a cursor (inside a transaction)
        this.streaming = new NamedParameterJdbcTemplate(template);
    }

    void insertChat(UUID owner, UUID id, ImportedChats.NewChat chat) {
        jdbc.sql(INSERT_CHAT).param("id", id).param("owner", owner).param("title", chat.title())
                .param("model", chat.model()).param("systemPrompt", chat.systemPrompt())
                .param("pinned", chat.pinned()).param("archived", chat.archived())
                .param("createdAt", chat.createdAt().toEpochMilli()).param("updatedAt", chat.updatedAt().toEpochMilli())
                .update();
    }

    void finishChat(UUID owner, UUID chatId, UUID leafId, int added, Instant updatedAt) {
        jdbc.sql(FINISH_CHAT).param("leafId", leafId).param("added", added)
                .param("updatedAt", updatedAt.toEpochMilli()).param("chatId", chatId).param("owner", owner).update();
    }

    void file(UUID owner, UUID chatId, UUID folderId) {
        jdbc.sql("UPDATE chats SET folder_id = :folderId WHERE id = :chatId AND user_id = :owner")
                .param("folderId", folderId).param("chatId", chatId).param("owner", owner).update();
    }

    List<Chat> chatPage(UUID owner, UUID after, int limit) {
        return jdbc.sql(CHAT_PAGE).param("owner", owner).param("after", after).param("limit", limit)
                .query(Chat::fromRow).list();
    }

    boolean has(UUID owner, UUID chatId) {
        return jdbc.sql("SELECT COUNT(*) FROM chats WHERE id = :id AND user_id = :owner AND deleted_at IS NULL").param("id", chatId)
                .param("owner", owner).query(Long.class).single() > 0;
    }

    void eachMessage(UUID owner, UUID chatId, Consumer<Message> each) {
        stream(MESSAGES, owner, chatId, each);
    }

    void eachOnActiveBranch(UUID owner, UUID chatId, Consumer<Message> each) {
        stream(ACTIVE_BRANCH, owner, chatId, each);
    }

    private void stream(String sql, UUID owner, UUID chatId, Consumer<Message> each) {
        streaming.query(sql, new MapSqlParameterSource("owner", owner).addValue("chatId", chatId),
                (RowCallbackHandler) rs -> each.accept(Message.fromRow(rs, 0)));
    }
}
