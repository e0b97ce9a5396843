package dev.nosso.identity;

import dev.nosso.platform.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** An API key as lists show it: the prefix to recognise it by, never the key. */
record ApiKey(UUID id, String name, String prefix, Instant createdAt, Instant lastUsedAt) {

    static ApiKey fromRow(ResultSet rs, int row) throws SQLException {
        return new ApiKey(Rows.uuid(rs, "id"), rs.getString("name"), rs.getString("prefix"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "last_used_at"));
    }
}
