package dev.nosso.usage;

import dev.nosso.platform.Rows;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Budgets as stored: each user's own in {@code token_budgets}, the default for everyone in the instance's
 * {@code settings}, and what a user spent since a day, from the roll-up.
 */
@Repository
class BudgetRepository {

    static final String DEFAULT_TOKENS = "budgets.default-tokens";
    static final String DEFAULT_PERIOD = "budgets.default-period";

    private static final String OWN = "SELECT user_id, tokens, period FROM token_budgets";

    private static final String OWN_WITH_NAMES = """
            SELECT b.user_id, u.email, u.name, b.tokens, b.period
              FROM token_budgets b JOIN users u ON u.id = b.user_id ORDER BY u.email
            """;

    private static final String PUT = """
            INSERT INTO token_budgets (user_id, tokens, period, updated_at)
            SELECT u.id, :tokens, :period, :now FROM users u WHERE u.id = :user
            ON CONFLICT (user_id) DO UPDATE SET tokens = excluded.tokens, period = excluded.period,
                                                updated_at = excluded.updated_at
            """;

    private static final String REMOVE = "DELETE FROM token_budgets WHERE user_id = :user";

    private static final String USER_EXISTS = "SELECT COUNT(*) FROM users WHERE id = :user";

    private static final String SETTINGS = "SELECT name, value FROM settings WHERE name IN (:names)";

    private static final String PUT_SETTING = """
            INSERT INTO settings (name, value, updated_at) VALUES (:name, :value, :now)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """;

    // Along usage_days_user: the user's rows of the period, a few per day.
    private static final String SPENT = """
            SELECT COALESCE(SUM(prompt_tokens + completion_tokens), 0) FROM usage_days
             WHERE user_id = :user AND day >= :fromDay
            """;

    /** A user's own budget with who they are, for the administrator's list. */
    record Own(UUID userId, String email, String name, long tokens, Period period) {
    }

    private final JdbcClient jdbc;

    BudgetRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Map<UUID, Budget> own() {
        return jdbc.sql(OWN).query((rs, row) -> Map.entry(Rows.uuid(rs, "user_id"),
                new Budget(rs.getLong("tokens"), Period.fromWire(rs.getString("period"))))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    List<Own> ownWithNames() {
        return jdbc.sql(OWN_WITH_NAMES).query((rs, row) -> new Own(Rows.uuid(rs, "user_id"), rs.getString("email"),
                rs.getString("name"), rs.getLong("tokens"), Period.fromWire(rs.getString("period")))).list();
    }

    /** @return false when there is no such user */
    boolean put(UUID user, Budget budget, Instant now) {
        return jdbc.sql(PUT).param("user", user).param("tokens", budget.tokens()).param("period", budget.period().wire())
                .param("now", now.toEpochMilli()).update() == 1;
    }

    /** @return false when there is no such user */
    boolean remove(UUID user) {
        jdbc.sql(REMOVE).param("user", user).update();
        return jdbc.sql(USER_EXISTS).param("user", user).query(Long.class).single() == 1;
    }

    /** The default as stored, or {@code configured} when an administrator never set it. */
    Budget defaults(Budget configured) {
        Map<String, String> stored = jdbc.sql(SETTINGS).param("names", List.of(DEFAULT_TOKENS, DEFAULT_PERIOD))
                .query((rs, row) -> Map.entry(rs.getString("name"), rs.getString("value"))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        if (!stored.containsKey(DEFAULT_TOKENS)) {
            return configured;
        }
        Period period = Period.fromWire(stored.get(DEFAULT_PERIOD));
        return new Budget(Long.parseLong(stored.get(DEFAULT_TOKENS)), period == null ? configured.period() : period);
    }

    void putDefaults(Budget budget, Instant now) {
        jdbc.sql(PUT_SETTING).param("name", DEFAULT_TOKENS).param("value", Long.toString(budget.tokens()))
                .param("now", now.toEpochMilli()).update();
        jdbc.sql(PUT_SETTING).param("name", DEFAULT_PERIOD).param("value", budget.period().wire())
                .param("now", now.toEpochMilli()).update();
    }

    long spentSince(UUID user, int fromDay) {
        return jdbc.sql(SPENT).param("user", user).param("fromDay", fromDay).query(Long.class).single();
    }
}
