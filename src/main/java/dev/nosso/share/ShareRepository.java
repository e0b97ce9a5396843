package dev.nosso.share;

import dev.nosso.platform.Rows;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The shares table. The owner's statements carry the owner; a viewer's carry the token, which is the credential. */
@Repository
class ShareRepository {

    // INSERT ... SELECT makes the owner check and the write one statement: another user's chat gets no share and
    // the caller answers 404. On a second share of the same chat only the snapshot changes: the token stays.
    private static final String PUT = """
            INSERT INTO shares (id, user_id, chat_id, token, snapshot, created_at, updated_at)
            SELECT :id, c.user_id, c.id, :token, :snapshot, :now, :now FROM chats c
             WHERE c.id = :chatId AND c.user_id = :owner AND c.deleted_at IS NULL
            ON CONFLICT (chat_id) DO UPDATE SET snapshot = excluded.snapshot, updated_at = excluded.updated_at
            RETURNING token, created_at, updated_at
            """;

    // A deleted chat's link answers nothing from the moment of the delete, before the sweep removes its row.
    private static final String FIND_BY_CHAT = """
            SELECT s.token, s.created_at, s.updated_at FROM shares s JOIN chats c ON c.id = s.chat_id
             WHERE s.chat_id = :chatId AND s.user_id = :owner AND c.deleted_at IS NULL
            """;

    // Not filtered by owner on purpose: the unguessable token is what lets a viewer in, as a key does.
    private static final String FIND_BY_TOKEN = """
            SELECT s.snapshot, s.updated_at FROM shares s JOIN chats c ON c.id = s.chat_id
             WHERE s.token = :token AND c.deleted_at IS NULL
            """;

    private static final String DELETE = "DELETE FROM shares WHERE chat_id = :chatId AND user_id = :owner";

    private final JdbcClient jdbc;

    ShareRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored link of a chat: its token and when it was first shared and last updated. */
    record Link(String token, Instant createdAt, Instant updatedAt) {
    }

    /** The snapshot behind a token, as last updated. */
    record Stored(String snapshot, Instant updatedAt) {
    }

    /** Shares the chat with a new token, or updates its snapshot; empty when the chat is not the owner's. */
    Optional<Link> put(UUID owner, UUID chatId, String newToken, String snapshot, Instant now) {
        return jdbc.sql(PUT).param("id", dev.nosso.platform.Ids.next()).param("token", newToken)
                .param("snapshot", snapshot).param("now", now.toEpochMilli()).param("chatId", chatId)
                .param("owner", owner).query(ShareRepository::link).optional();
    }

    Optional<Link> find(UUID owner, UUID chatId) {
        return jdbc.sql(FIND_BY_CHAT).param("chatId", chatId).param("owner", owner).query(ShareRepository::link)
                .optional();
    }

    Optional<Stored> byToken(String token) {
        return jdbc.sql(FIND_BY_TOKEN).param("token", token)
                .query((rs, row) -> new Stored(rs.getString("snapshot"), Rows.instant(rs, "updated_at"))).optional();
    }

    boolean delete(UUID owner, UUID chatId) {
        return jdbc.sql(DELETE).param("chatId", chatId).param("owner", owner).update() == 1;
    }

    private static Link link(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Link(rs.getString("token"), Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
    }
}
