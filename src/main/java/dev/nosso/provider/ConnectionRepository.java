package dev.nosso.provider;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The provider connections, with their API keys sealed. */
@Repository
class ConnectionRepository {

    // ON CONFLICT DO NOTHING makes "is the name free?" and the insert one statement.
    private static final String INSERT = """
            INSERT INTO connections (id, kind, name, base_url, api_key_ciphertext, enabled, source, created_at, updated_at)
            VALUES (:id, :kind, :name, :baseUrl, :sealedKey, :enabled, :source, :now, :now)
            ON CONFLICT (name) DO NOTHING
            """;

    // The environment's connection takes the name over, keeping the row's id (and so its models' connection
    // id) and whether an administrator disabled it.
    private static final String PUT_FROM_ENVIRONMENT = """
            INSERT INTO connections (id, kind, name, base_url, api_key_ciphertext, enabled, source, created_at, updated_at)
            VALUES (:id, :kind, :name, :baseUrl, :sealedKey, TRUE, 'env', :now, :now)
            ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, base_url = excluded.base_url,
                   api_key_ciphertext = excluded.api_key_ciphertext, source = 'env', updated_at = excluded.updated_at
            """;

    private static final String UPDATE = """
            UPDATE connections SET kind = :kind, name = :name, base_url = :baseUrl, api_key_ciphertext = :sealedKey,
                   enabled = :enabled, updated_at = :now
             WHERE id = :id
            """;

    // The administrators' replacement of an environment's connection: theirs from now on, and marked so that
    // the environment's next start does not take it back.
    private static final String REPLACE_ENVIRONMENT = """
            UPDATE connections SET kind = :kind, base_url = :baseUrl, api_key_ciphertext = :sealedKey,
                   enabled = :enabled, source = 'admin', replaces_environment = TRUE, updated_at = :now
             WHERE id = :id
            """;

    private static final String FIND = "SELECT " + Connection.COLUMNS + " FROM connections WHERE id = :id";

    private static final String FIND_BY_NAME = "SELECT " + Connection.COLUMNS + " FROM connections WHERE name = :name";

    private static final String NAME_TAKEN = "SELECT COUNT(*) FROM connections WHERE name = :name AND id <> :id";

    // Oldest first: the order decides which connection keeps a model id that two of them serve.
    private static final String LIST = "SELECT " + Connection.COLUMNS + " FROM connections ORDER BY created_at, id";

    private static final String LIST_ENABLED = "SELECT " + Connection.COLUMNS
            + " FROM connections WHERE enabled = TRUE ORDER BY created_at, id";

    private static final String DELETE = "DELETE FROM connections WHERE id = :id";

    private static final String DELETE_FROM_ENVIRONMENT = "DELETE FROM connections WHERE name = :name AND source = 'env'";

    private final JdbcClient jdbc;

    ConnectionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when the name is taken */
    boolean insert(Connection c) {
        return jdbc.sql(INSERT).param("id", c.id()).param("kind", c.kind().wire()).param("name", c.name())
                .param("baseUrl", c.baseUrl().toString()).param("sealedKey", c.sealedApiKey())
                .param("enabled", c.enabled()).param("source", c.fromEnvironment() ? "env" : "admin")
                .param("now", c.createdAt().toEpochMilli())
                .update() == 1;
    }

    void putFromEnvironment(UUID id, ConnectionKind kind, String name, String baseUrl, String sealedKey, Instant now) {
        jdbc.sql(PUT_FROM_ENVIRONMENT).param("id", id).param("kind", kind.wire()).param("name", name)
                .param("baseUrl", baseUrl).param("sealedKey", sealedKey).param("now", now.toEpochMilli())
                .update();
    }

    boolean update(Connection c) {
        return jdbc.sql(UPDATE).param("id", c.id()).param("kind", c.kind().wire()).param("name", c.name())
                .param("baseUrl", c.baseUrl().toString()).param("sealedKey", c.sealedApiKey())
                .param("enabled", c.enabled()).param("now", c.updatedAt().toEpochMilli())
                .update() == 1;
    }

    void replaceEnvironment(Connection c) {
        jdbc.sql(REPLACE_ENVIRONMENT).param("id", c.id()).param("kind", c.kind().wire())
                .param("baseUrl", c.baseUrl().toString()).param("sealedKey", c.sealedApiKey())
                .param("enabled", c.enabled()).param("now", c.updatedAt().toEpochMilli()).update();
    }

    Optional<Connection> find(UUID id) {
        return jdbc.sql(FIND).param("id", id).query(Connection::fromRow).optional();
    }

    Optional<Connection> findByName(String name) {
        return jdbc.sql(FIND_BY_NAME).param("name", name).query(Connection::fromRow).optional();
    }

    boolean nameTakenByAnother(String name, UUID id) {
        return jdbc.sql(NAME_TAKEN).param("name", name).param("id", id).query(Long.class).single() > 0;
    }

    List<Connection> list() {
        return jdbc.sql(LIST).query(Connection::fromRow).list();
    }

    List<Connection> listEnabled() {
        return jdbc.sql(LIST_ENABLED).query(Connection::fromRow).list();
    }

    boolean delete(UUID id) {
        return jdbc.sql(DELETE).param("id", id).update() == 1;
    }

    /** @return whether a connection from the environment by this name existed */
    boolean deleteFromEnvironment(String name) {
        return jdbc.sql(DELETE_FROM_ENVIRONMENT).param("name", name).update() == 1;
    }
}
