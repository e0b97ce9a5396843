package dev.nosso.usage;

import dev.nosso.bench.BenchSetup;
import dev.nosso.bench.Stats;
import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Usage page's queries and the budget check on a year of roll-up for 1,000 users: every user active every
 * day of the last 365 with two of four models (730,000 rows of {@code usage_days}, 1,460 of
 * {@code usage_model_days}). Measures the report (the
 * three sums by day, model and user) for 7, 30, 90 and 365 days through the service and, for 30 days, over HTTP
 * with its JSON; a user's spending this month as the budget check reads it on a cache miss; and the check itself
 * with a budget set (the cached read) and with none. The 7-day report is the same-run baseline of the longer ones.
 * <p>
 * {@code ./mvnw -Pbench test -Dtest=UsageQueryBench} (add {@code -Dbench.db=postgresql} for PostgreSQL), or
 * {@code java -cp "$(bench/java-classpath.sh)" dev.nosso.usage.UsageQueryBench}.
 */
class UsageQueryBench {

    private static final int USERS = 1_000;
    private static final int DAYS = 365;
    private static final String[] MODELS = {"llama3.1:8b", "qwen2.5:14b", "gpt-4o-mini", "mistral-small"};
    private static final int ROUNDS = 30;

    public static void main(String[] args) throws Exception {
        new UsageQueryBench().aYearOfAThousandUsers();
    }

    @Test
    void aYearOfAThousandUsers() throws Exception {
        try (BenchSetup bench = new BenchSetup()) {
            long seeding = System.nanoTime();
            List<UUID> users = seed(bench);
            bench.analyze();
            seeding = System.nanoTime() - seeding;
            UsageReports reports = bench.server.context().getBean(UsageReports.class);
            BudgetRepository repository = bench.server.context().getBean(BudgetRepository.class);
            Budgets budgets = bench.server.context().getBean(Budgets.class);
            LocalDate today = LocalDate.now(ZoneOffset.UTC);

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("bench", "usage-queries");
            result.put("database", bench.dialect());
            result.put("rows", (long) USERS * DAYS * 2);
            result.put("seed_seconds", Math.round(seeding / 1e9));
            Map<String, Object> report = new LinkedHashMap<>();
            double week = 0;
            for (int days : new int[] {7, 30, 90, 365}) {
                long[] nanos = time(() -> reports.report(today.minusDays(days - 1), today));
                report.put(days + "_days", Stats.of(nanos));
                if (days == 7) {
                    week = Stats.p50(nanos);
                } else {
                    report.put(days + "_days_p50_over_7_days", Stats.ratio(Stats.p50(nanos), week));
                }
            }
            result.put("report_in_service", report);
            ApiClient admin = bench.server.admin();
            String month = "/api/v1/admin/usage?from=" + today.minusDays(29) + "&to=" + today;
            result.put("report_30_days_over_http", Stats.of(time(() -> admin.get(month).expect(200))));
            result.put("csv_365_days_over_http", Stats.of(time(() -> admin.get("/api/v1/admin/usage.csv?from="
                    + today.minusDays(364) + "&to=" + today).expect(200))));

            Random random = new Random(7);
            int monthStart = (int) today.withDayOfMonth(1).toEpochDay();
            result.put("spent_this_month_read", Stats.of(time(() ->
                    repository.spentSince(users.get(random.nextInt(USERS)), monthStart))));
            UUID user = users.getFirst();
            result.put("check_without_budget", Stats.of(time(() -> budgets.check(user))));
            budgets.setOwn(user, new Budget(Long.MAX_VALUE, Period.MONTH));
            result.put("check_with_budget_cached", Stats.of(time(() -> budgets.check(user))));
            result.put("goal", "the 30-day report well under 100 ms; a turn's check no statement without a budget");
            BenchSetup.print(result);
        }
    }

    /** {@code ROUNDS} timings of {@code work} after three unmeasured runs. */
    private static long[] time(Runnable work) {
        for (int i = 0; i < 3; i++) {
            work.run();
        }
        long[] nanos = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            work.run();
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    /** 1,000 users and a row per user, day and model for the last 365 days, in one transaction. */
    private static List<UUID> seed(BenchSetup bench) throws Exception {
        boolean postgres = bench.database.dialect() == Dialect.POSTGRESQL;
        List<UUID> users = new ArrayList<>();
        Random random = new Random(42);
        int today = (int) LocalDate.now(ZoneOffset.UTC).toEpochDay();
        try (Connection c = bench.database.connect()) {
            if (!postgres) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA busy_timeout = 10000");
                }
            }
            c.setAutoCommit(false);
            long now = System.currentTimeMillis();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, email, name, password_hash, role, "
                    + "status, created_at, updated_at) VALUES (?, ?, ?, 'x', 'user', 'active', ?, ?)")) {
                for (int i = 0; i < USERS; i++) {
                    UUID id = UUID.randomUUID();
                    users.add(id);
                    ps.setObject(1, postgres ? id : id.toString());
                    ps.setString(2, "bench" + i + "@nosso.test");
                    ps.setString(3, "Bench " + i);
                    ps.setLong(4, now);
                    ps.setLong(5, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_days (day, user_id, model, answers, "
                    + "prompt_tokens, completion_tokens, first_token_ms, first_tokens, tokens_per_second, speeds) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int batched = 0;
                for (int u = 0; u < USERS; u++) {
                    Object id = postgres ? users.get(u) : users.get(u).toString();
                    for (int day = today - DAYS + 1; day <= today; day++) {
                        for (int m = 0; m < 2; m++) {
                            int answers = 1 + random.nextInt(20);
                            ps.setInt(1, day);
                            ps.setObject(2, id);
                            ps.setString(3, MODELS[(u + m) % MODELS.length]);
                            ps.setInt(4, answers);
                            ps.setLong(5, answers * (500L + random.nextInt(3000)));
                            ps.setLong(6, answers * (100L + random.nextInt(800)));
                            ps.setLong(7, answers * (200L + random.nextInt(1500)));
                            ps.setInt(8, answers);
                            ps.setDouble(9, answers * (10 + random.nextDouble() * 60));
                            ps.setInt(10, answers);
                            ps.addBatch();
                            if (++batched % 10_000 == 0) {
                                ps.executeBatch();
                            }
                        }
                    }
                }
                ps.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("""
                        INSERT INTO usage_model_days (day, model, answers, prompt_tokens, completion_tokens, first_token_ms,
                                                      first_tokens, tokens_per_second, speeds)
                        SELECT day, model, SUM(answers), SUM(prompt_tokens), SUM(completion_tokens), SUM(first_token_ms),
                               SUM(first_tokens), SUM(tokens_per_second), SUM(speeds)
                          FROM usage_days GROUP BY day, model""");
            }
            c.commit();
        }
        return users;
    }
}
