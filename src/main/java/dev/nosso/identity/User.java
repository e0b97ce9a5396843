package dev.nosso.identity;

import dev.nosso.platform.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** An account as the API shows it: never its password hash. Role and status go out in their wire form. */
record User(UUID id, String email, String name, String role, String status, Instant createdAt,
            Instant updatedAt) {

    static final String COLUMNS = "u.id, u.email, u.name, u.role, u.status, u.created_at, u.updated_at";

    static User fromRow(ResultSet rs, int row) throws SQLException {
        return new User(Rows.uuid(rs, "id"), rs.getString("email"), rs.getString("name"), rs.getString("role"),
                rs.getString("status"), Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
    }

    Role roleValue() {
        return Role.fromWire(role);
    }

    boolean isActiveAdmin() {
        return Role.ADMIN.wire().equals(role) && Status.ACTIVE.wire().equals(status);
    }
}
