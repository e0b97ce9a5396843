package dev.nosso.identity;

import dev.nosso.platform.Dialect;
import dev.nosso.platform.Rows;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The users table. Emails arrive here already normalised (trimmed, lower case), so equality is enough. */
@Repository
class UserRepository {

    // ON CONFLICT DO NOTHING makes "is the email free?" and the insert one statement: two sign-ups with the
    // same email cannot both pass a check, and the loser sees 0 rows rather than a driver-specific error.
    private static final String INSERT = """
            INSERT INTO users (id, email, name, password_hash, role, status, created_at, updated_at)
            VALUES (:id, :email, :name, :passwordHash, :role, 'active', :now, :now)
            ON CONFLICT (email) DO NOTHING
            """;

    private static final String FIND = "SELECT " + User.COLUMNS + " FROM users u WHERE u.id = :id";

    private static final String FIND_WITH_PASSWORD =
            "SELECT " + User.COLUMNS + ", u.password_hash FROM users u WHERE u.email = :email";

    private static final String ANY_ACTIVE_ADMIN =
            "SELECT COUNT(*) FROM users WHERE role = 'admin' AND status = 'active'";

    // On PostgreSQL, FOR UPDATE makes two concurrent demotions of two different admins queue on these rows,
    // so the second sees the first's change and the last admin stays. SQLite needs no lock: one connection
    // writes, and a write transaction there takes the database lock when it begins.
    private static final String ACTIVE_ADMINS = "SELECT id FROM users WHERE role = 'admin' AND status = 'active'";

    private static final String UPDATE_ACCESS = """
            UPDATE users SET role = :role, status = :status, updated_at = :now WHERE id = :id
            """;

    // Which of these accounts may still use Nosso (active, not sent back to pending); a deleted one is not.
    private static final String WITH_ACCESS =
            "SELECT id FROM users WHERE id IN (:ids) AND status = 'active' AND role <> 'pending'";

    // Newest first by id: ids are UUIDv7, so their order is their creation order in both databases.
    private static final String LIST = "SELECT " + User.COLUMNS + " FROM users u WHERE u.id < :before";
    private static final String WITH_STATUS = " AND u.status = :status";
    private static final String WITH_ROLE = " AND u.role = :role";
    private static final String NEWEST_FIRST = " ORDER BY u.id DESC LIMIT :limit";
    private static final UUID LAST_ID = new UUID(-1L, -1L); // ffffffff-...: after every real id

    private final JdbcClient jdbc;
    private final Dialect dialect;

    UserRepository(JdbcClient jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    /** The accounts among {@code ids} that still have their access. */
    Set<UUID> withAccess(Collection<UUID> ids) {
        return new HashSet<>(jdbc.sql(WITH_ACCESS).param("ids", ids).query((rs, row) -> Rows.uuid(rs, "id")).list());
    }

    /** Inserts an active account; false when the email is taken. */
    boolean insert(UUID id, String email, String name, String passwordHash, Role role, Instant now) {
        return jdbc.sql(INSERT).param("id", id).param("email", email).param("name", name)
                .param("passwordHash", passwordHash).param("role", role.wire()).param("now", now.toEpochMilli())
                .update() == 1;
    }

    Optional<User> find(UUID id) {
        return jdbc.sql(FIND).param("id", id).query(User::fromRow).optional();
    }

    /** An account with its password hash, for checking a sign-in; the hash goes nowhere else. */
    record WithPassword(User user, String passwordHash) {
    }

    Optional<WithPassword> findWithPassword(String email) {
        return jdbc.sql(FIND_WITH_PASSWORD).param("email", email)
                .query((rs, row) -> new WithPassword(User.fromRow(rs, row), rs.getString("password_hash")))
                .optional();
    }

    boolean anyActiveAdmin() {
        return jdbc.sql(ANY_ACTIVE_ADMIN).query(Long.class).single() > 0;
    }

    /** The active administrators, locked against concurrent changes until the transaction ends. */
    List<UUID> lockActiveAdmins() {
        return jdbc.sql(dialect.pick(ACTIVE_ADMINS, ACTIVE_ADMINS + " FOR UPDATE"))
                .query((rs, row) -> Rows.uuid(rs, "id")).list();
    }

    void updateAccess(UUID id, Role role, Status status, Instant now) {
        jdbc.sql(UPDATE_ACCESS).param("id", id).param("role", role.wire()).param("status", status.wire())
                .param("now", now.toEpochMilli()).update();
    }

    /**
     * A page of accounts, newest first, after the id {@code before} (a cursor), optionally of one status or
     * role. The absent cursor is the greatest UUID rather than a null, so the statement needs no typed null.
     */
    List<User> list(UUID before, Status status, Role role, int limit) {
        StringBuilder sql = new StringBuilder(LIST);
        Map<String, Object> params = new HashMap<>();
        params.put("before", before == null ? LAST_ID : before);
        params.put("limit", limit);
        if (status != null) {
            sql.append(WITH_STATUS);
            params.put("status", status.wire());
        }
        if (role != null) {
            sql.append(WITH_ROLE);
            params.put("role", role.wire());
        }
        sql.append(NEWEST_FIRST);
        return jdbc.sql(sql.toString()).params(params).query(User::fromRow).list();
    }
}
