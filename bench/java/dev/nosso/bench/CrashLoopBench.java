package dev.nosso.bench;

import dev.nosso.platform.Dialect;
import dev.nosso.support.CrashLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Twenty rounds of {@code kill -9} while an answer streams and a file is ingested, on each database named by
 * {@code -Dbench.dbs} (default {@code sqlite,postgresql}; PostgreSQL needs {@code NOSSO_TEST_POSTGRES_URL}), and
 * the figures of {@link CrashLoop} as JSON, one object per database. {@code -Dcrash.rounds} changes the count.
 * {@code scripts/crash-loop.sh} runs it outside the Maven lock; {@code CrashLoopTest} runs two rounds in verify.
 */
class CrashLoopBench {

    @Test
    void crashLoop() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("crash.rounds", 20);
        List<Map<String, Object>> results = new ArrayList<>();
        for (String db : System.getProperty("bench.dbs", "sqlite,postgresql").split(",")) {
            CrashLoop.Figures figures = CrashLoop.run(Dialect.valueOf(db.trim().toUpperCase(Locale.ROOT)), rounds);
            results.add(figures.asMap());
            System.out.println(BenchSetup.JSON.writeValueAsString(figures.asMap()));
        }
        System.out.println(BenchSetup.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(Map.of("benchmark", "CrashLoopBench", "results", results)));
    }
}
