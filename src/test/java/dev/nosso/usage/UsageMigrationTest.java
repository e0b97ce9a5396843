package dev.nosso.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The migration that brings usage (V20) fills the roll-ups from the answers already stored, on both databases:
 * each answer with figures counts on the UTC day it was started, per user and model; questions and answers
 * without figures do not count.
 */
class UsageMigrationTest {

    private static final long DAY = 86_400_000L;

    @ParameterizedTest(name = "on {0}")
    @EnumSource(Dialect.class)
    void theRollUpsStartWithTheAnswersAlreadyStored(Dialect dialect) throws Exception {
        try (TestDatabase database = TestDatabase.fresh(dialect)) {
            String locations = dialect == Dialect.SQLITE ? "classpath:db/migration/sqlite" : "classpath:db/migration/postgresql";
            // Up to the last migration before this one, whichever number that is once other branches add theirs.
            MigrationVersion usage = MigrationVersion.fromVersion("20");
            String before = Arrays.stream(Flyway.configure().dataSource(database.url(), null, null).locations(locations)
                    .load().info().all()).map(MigrationInfo::getVersion).filter(v -> v.compareTo(usage) < 0)
                    .max(Comparator.naturalOrder()).orElseThrow().getVersion();
            Flyway.configure().dataSource(database.url(), null, null).locations(locations).target(before).load().migrate();
            UUID alice = UUID.randomUUID();
            long day = 20_000;
            try (Connection c = database.connect()) {
                Binder id = (ps, i, uuid) -> ps.setObject(i, dialect == Dialect.POSTGRESQL ? uuid : uuid.toString());
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, email, name, password_hash, role, "
                        + "status, created_at, updated_at) VALUES (?, 'a@nosso.test', 'A', 'x', 'user', 'active', 0, 0)")) {
                    id.bind(ps, 1, alice);
                    ps.executeUpdate();
                }
                UUID chat = UUID.randomUUID();
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO chats (id, user_id, title, created_at, "
                        + "updated_at) VALUES (?, ?, 'chat', 0, 0)")) {
                    id.bind(ps, 1, chat);
                    id.bind(ps, 2, alice);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages (id, chat_id, parent_id, depth, role, "
                        + "content, model, status, usage, created_at, updated_at) VALUES (?, ?, NULL, 0, ?, 'text', ?, "
                        + "'complete', ?, ?, ?)")) {
                    Object[][] rows = {
                            {"assistant", "m1", "{\"promptTokens\":10,\"completionTokens\":20,\"timeToFirstTokenMs\":100,\"tokensPerSecond\":30.0}", day * DAY + 5},
                            {"assistant", "m1", "{\"promptTokens\":1,\"completionTokens\":2,\"tokensPerSecond\":10.0}", day * DAY + DAY - 1},
                            {"assistant", "m1", "{\"promptTokens\":7,\"completionTokens\":8,\"timeToFirstTokenMs\":50}", (day + 1) * DAY},
                            {"assistant", "m2", "{\"promptTokens\":3,\"completionTokens\":4}", day * DAY},
                            {"assistant", "m2", null, day * DAY},
                            {"user", null, null, day * DAY}};
                    for (Object[] row : rows) {
                        id.bind(ps, 1, UUID.randomUUID());
                        id.bind(ps, 2, chat);
                        ps.setString(3, (String) row[0]);
                        ps.setString(4, (String) row[1]);
                        ps.setString(5, (String) row[2]);
                        ps.setLong(6, (Long) row[3]);
                        ps.setLong(7, (Long) row[3]);
                        ps.executeUpdate();
                    }
                }
            }

            Flyway.configure().dataSource(database.url(), null, null).locations(locations).load().migrate();

            try (Connection c = database.connect()) {
                assertThat(rows(c, "SELECT day, model, answers, prompt_tokens, completion_tokens, first_token_ms, "
                        + "first_tokens, tokens_per_second, speeds FROM usage_days ORDER BY day, model")).containsExactly(
                        "20000 m1 2 11 22 100 1 40.0 2",
                        "20000 m2 1 3 4 0 0 0.0 0",
                        "20001 m1 1 7 8 50 1 0.0 0");
                assertThat(rows(c, "SELECT day, model, answers, prompt_tokens, completion_tokens, first_token_ms, "
                        + "first_tokens, tokens_per_second, speeds FROM usage_model_days ORDER BY day, model")).containsExactly(
                        "20000 m1 2 11 22 100 1 40.0 2",
                        "20000 m2 1 3 4 0 0 0.0 0",
                        "20001 m1 1 7 8 50 1 0.0 0");
            }
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps, int index, UUID id) throws java.sql.SQLException;
    }

    private static List<String> rows(Connection c, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getLong(3) + " " + rs.getLong(4) + " "
                        + rs.getLong(5) + " " + rs.getLong(6) + " " + rs.getLong(7) + " " + rs.getDouble(8) + " "
                        + rs.getLong(9));
            }
        }
        return rows;
    }
}
