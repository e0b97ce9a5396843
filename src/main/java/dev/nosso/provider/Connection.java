package dev.nosso.provider;

import dev.nosso.platform.Rows;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * A stored connection, as the server uses it. The key stays sealed until a call needs it, and this record
 * never reaches a client: {@link ConnectionView} does.
 *
 * @param sealedApiKey the API key sealed by {@link SecretBox}, or null for none
 * @param fromEnvironment declared by the environment and re-applied at each start, rather than made by an admin
 */
record Connection(UUID id, ConnectionKind kind, String name, URI baseUrl, String sealedApiKey, boolean enabled,
                  boolean fromEnvironment, Instant createdAt, Instant updatedAt, boolean replacesEnvironment) {

    static final String COLUMNS = "id, kind, name, base_url, api_key_ciphertext, enabled, source, created_at, updated_at, "
            + "replaces_environment";

    Connection(UUID id, ConnectionKind kind, String name, URI baseUrl, String sealedApiKey, boolean enabled,
               boolean fromEnvironment, Instant createdAt, Instant updatedAt) {
        this(id, kind, name, baseUrl, sealedApiKey, enabled, fromEnvironment, createdAt, updatedAt, false);
    }

    static Connection fromRow(ResultSet rs, int row) throws SQLException {
        return new Connection(Rows.uuid(rs, "id"), ConnectionKind.fromWireOrNull(rs.getString("kind")),
                rs.getString("name"), URI.create(rs.getString("base_url")), rs.getString("api_key_ciphertext"),
                rs.getBoolean("enabled"), "env".equals(rs.getString("source")), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"), rs.getBoolean("replaces_environment"));
    }

    boolean hasApiKey() {
        return sealedApiKey != null;
    }

    @Override
    public String toString() {
        return "Connection[" + name + ", " + kind.wire() + ", " + baseUrl + "]";
    }
}
