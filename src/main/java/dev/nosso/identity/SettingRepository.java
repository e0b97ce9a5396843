package dev.nosso.identity;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Instance-wide values an administrator changes at run time, one text value per name. */
@Repository
class SettingRepository {

    static final String SIGNUP_ENABLED = "identity.signup-enabled";
    static final String SIGNUP_DEFAULT_ROLE = "identity.signup-default-role";
    static final String SETUP_TOKEN_HASH = "identity.setup-token-hash";

    private static final String FIND_ALL = "SELECT name, value FROM settings WHERE name IN (:names)";

    private static final String FIND = "SELECT value FROM settings WHERE name = :name";

    private static final String PUT = """
            INSERT INTO settings (name, value, updated_at) VALUES (:name, :value, :now)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """;

    // Deleting only when the value still matches makes "check and consume" one statement: of two requests
    // with the same one-time value, exactly one deletes the row.
    private static final String TAKE = "DELETE FROM settings WHERE name = :name AND value = :value";

    private static final String DELETE = "DELETE FROM settings WHERE name = :name";

    private final JdbcClient jdbc;

    SettingRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Map<String, String> findAll(Collection<String> names) {
        return jdbc.sql(FIND_ALL).param("names", names)
                .query((rs, row) -> Map.entry(rs.getString("name"), rs.getString("value"))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    Optional<String> find(String name) {
        return jdbc.sql(FIND).param("name", name).query(String.class).optional();
    }

    void put(String name, String value, Instant now) {
        jdbc.sql(PUT).param("name", name).param("value", value).param("now", now.toEpochMilli()).update();
    }

    void delete(String name) {
        jdbc.sql(DELETE).param("name", name).update();
    }

    boolean take(String name, String value) {
        return jdbc.sql(TAKE).param("name", name).param("value", value).update() == 1;
    }
}
