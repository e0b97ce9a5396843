package dev.nosso.identity;

import dev.nosso.platform.Rows;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Server-side sessions: only the SHA-256 of each token is stored, so a copy of the table signs nobody in. */
@Repository
class SessionRepository {

    private static final String INSERT = """
            INSERT INTO sessions (id, user_id, token_hash, created_at, expires_at, last_seen_at)
            VALUES (:id, :userId, :tokenHash, :now, :expiresAt, :now)
            """;

    // The one statement behind every cookie-authenticated request: the session must be unexpired and its
    // user active, so suspending someone or letting a session lapse takes effect on the next request.
    private static final String CALLER = """
            SELECT s.id AS session_id, s.last_seen_at, s.expires_at, u.id, u.email, u.name, u.role
              FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = :tokenHash AND s.expires_at > :now AND u.status = 'active'
            """;

    // Conditional, so that two requests crossing the minute boundary together still write once.
    private static final String TOUCH = """
            UPDATE sessions SET last_seen_at = :now WHERE id = :id AND last_seen_at <= :staleBefore
            """;

    private static final String DELETE = "DELETE FROM sessions WHERE token_hash = :tokenHash";

    private static final String DELETE_OF_USER = "DELETE FROM sessions WHERE user_id = :userId";

    private static final String DELETE_EXPIRED_OF_USER =
            "DELETE FROM sessions WHERE user_id = :userId AND expires_at <= :now";

    private final JdbcClient jdbc;

    SessionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID id, UUID userId, String tokenHash, Instant now, Instant expiresAt) {
        jdbc.sql(INSERT).param("id", id).param("userId", userId).param("tokenHash", tokenHash)
                .param("now", now.toEpochMilli()).param("expiresAt", expiresAt.toEpochMilli()).update();
    }

    Optional<CredentialMatch> caller(String tokenHash, Instant now) {
        return jdbc.sql(CALLER).param("tokenHash", tokenHash).param("now", now.toEpochMilli())
                .query((rs, row) -> new CredentialMatch(Rows.uuid(rs, "session_id"), Rows.instant(rs, "last_seen_at"),
                        Rows.instant(rs, "expires_at"),
                        new Caller(Rows.uuid(rs, "id"), rs.getString("email"), rs.getString("name"),
                                Role.fromWire(rs.getString("role")), Caller.Credential.SESSION)))
                .optional();
    }

    void touch(UUID id, Instant now, Instant staleBefore) {
        jdbc.sql(TOUCH).param("id", id).param("now", now.toEpochMilli())
                .param("staleBefore", staleBefore.toEpochMilli()).update();
    }

    void delete(String tokenHash) {
        jdbc.sql(DELETE).param("tokenHash", tokenHash).update();
    }

    void deleteAllOf(UUID userId) {
        jdbc.sql(DELETE_OF_USER).param("userId", userId).update();
    }

    void deleteExpiredOf(UUID userId, Instant now) {
        jdbc.sql(DELETE_EXPIRED_OF_USER).param("userId", userId).param("now", now.toEpochMilli()).update();
    }
}
