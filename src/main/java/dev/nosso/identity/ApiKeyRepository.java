package dev.nosso.identity;

import dev.nosso.platform.Rows;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** API keys: a SHA-256 of each key and a short prefix to recognise it by; the key itself is never stored. */
@Repository
class ApiKeyRepository {

    private static final String INSERT = """
            INSERT INTO api_keys (id, user_id, name, prefix, key_hash, created_at)
            VALUES (:id, :userId, :name, :prefix, :keyHash, :now)
            """;

    // The one statement behind every Bearer request: an unrevoked key of an active user.
    private static final String CALLER = """
            SELECT k.id AS key_id, k.last_used_at, u.id, u.email, u.name, u.role
              FROM api_keys k JOIN users u ON u.id = k.user_id
             WHERE k.key_hash = :keyHash AND k.revoked_at IS NULL AND u.status = 'active'
            """;

    // Conditional, so that concurrent requests crossing the minute boundary together still write once.
    private static final String TOUCH = """
            UPDATE api_keys SET last_used_at = :now
             WHERE id = :id AND (last_used_at IS NULL OR last_used_at <= :staleBefore)
            """;

    private static final String LIST = """
            SELECT id, name, prefix, created_at, last_used_at FROM api_keys
             WHERE user_id = :owner AND revoked_at IS NULL ORDER BY id DESC
            """;

    private static final String REVOKE = """
            UPDATE api_keys SET revoked_at = :now WHERE id = :id AND user_id = :owner AND revoked_at IS NULL
            """;

    private final JdbcClient jdbc;

    ApiKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID id, UUID owner, String name, String prefix, String keyHash, Instant now) {
        jdbc.sql(INSERT).param("id", id).param("userId", owner).param("name", name).param("prefix", prefix)
                .param("keyHash", keyHash).param("now", now.toEpochMilli()).update();
    }

    Optional<CredentialMatch> caller(String keyHash) {
        return jdbc.sql(CALLER).param("keyHash", keyHash)
                .query((rs, row) -> new CredentialMatch(Rows.uuid(rs, "key_id"), Rows.instant(rs, "last_used_at"), null,
                        new Caller(Rows.uuid(rs, "id"), rs.getString("email"), rs.getString("name"),
                                Role.fromWire(rs.getString("role")), Caller.Credential.API_KEY)))
                .optional();
    }

    void touch(UUID id, Instant now, Instant staleBefore) {
        jdbc.sql(TOUCH).param("id", id).param("now", now.toEpochMilli())
                .param("staleBefore", staleBefore.toEpochMilli()).update();
    }

    List<ApiKey> list(UUID owner) {
        return jdbc.sql(LIST).param("owner", owner).query(ApiKey::fromRow).list();
    }

    boolean revoke(UUID owner, UUID id, Instant now) {
        return jdbc.sql(REVOKE).param("id", id).param("owner", owner).param("now", now.toEpochMilli()).update() == 1;
    }
}
