package dev.nosso.usage;

import dev.nosso.platform.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The roll-ups read for the Usage page: each figure a sum over the period's rows, which the primary keys
 * (day first) find as one range. Reads every user's rows: only administrators reach it.
 */
@Repository
class UsageRepository {

    private static final String SUMS = """
            SUM(answers) AS answers, SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens,
            SUM(first_token_ms) AS first_token_ms, SUM(first_tokens) AS first_tokens,
            SUM(tokens_per_second) AS tokens_per_second, SUM(speeds) AS speeds
            """;

    // By day and by model from the roll-up per model, a few rows a day: a year is a few thousand rows.
    private static final String BY_DAY = "SELECT day, " + SUMS + """
             FROM usage_model_days WHERE day BETWEEN :from AND :to GROUP BY day ORDER BY day
            """;

    private static final String BY_MODEL = "SELECT model, " + SUMS + """
             FROM usage_model_days WHERE day BETWEEN :from AND :to GROUP BY model ORDER BY model
            """;

    // By user from the rows per user, the one sum whose rows grow with the number of users.

    private static final String BY_USER = """
            SELECT s.*, u.email, u.name FROM (
                SELECT user_id, """ + SUMS + """
                  FROM usage_days WHERE day BETWEEN :from AND :to GROUP BY user_id) s
              JOIN users u ON u.id = s.user_id
             ORDER BY s.prompt_tokens + s.completion_tokens DESC, u.email
            """;

    record DayRow(int day, UsageReport.Figures figures) {
    }

    private final JdbcClient jdbc;

    UsageRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<DayRow> byDay(int from, int to) {
        return jdbc.sql(BY_DAY).param("from", from).param("to", to)
                .query((rs, row) -> new DayRow(rs.getInt("day"), figures(rs))).list();
    }

    List<UsageReport.ModelFigures> byModel(int from, int to) {
        return jdbc.sql(BY_MODEL).param("from", from).param("to", to)
                .query((rs, row) -> new UsageReport.ModelFigures(rs.getString("model"), figures(rs))).list();
    }

    List<UsageReport.UserFigures> byUser(int from, int to) {
        return jdbc.sql(BY_USER).param("from", from).param("to", to)
                .query((rs, row) -> new UsageReport.UserFigures(Rows.uuid(rs, "user_id"), rs.getString("email"),
                        rs.getString("name"), figures(rs))).list();
    }

    private static UsageReport.Figures figures(ResultSet rs) throws SQLException {
        long firstTokens = rs.getLong("first_tokens");
        long speeds = rs.getLong("speeds");
        return new UsageReport.Figures(rs.getLong("answers"), rs.getLong("prompt_tokens"),
                rs.getLong("completion_tokens"),
                firstTokens == 0 ? null : round(rs.getLong("first_token_ms") / (double) firstTokens),
                speeds == 0 ? null : round(rs.getDouble("tokens_per_second") / speeds));
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
