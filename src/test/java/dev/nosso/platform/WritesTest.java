package dev.nosso.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The SQLite group commit: many writers, one transaction per group, and a failure that stays its own. */
class WritesTest {

    private HikariDataSource dataSource;
    private JdbcClient jdbc;
    private Writes writes;
    private SimpleMeterRegistry meters;
    private DataSourceTransactionManager transactions;

    @BeforeEach
    void openDatabase() throws Exception {
        Path dir = Files.createTempDirectory("nosso-writes-");
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:sqlite:" + dir.resolve("w.db") + "?" + DatabaseConfiguration.SQLITE_PRAGMAS);
        dataSource.setMaximumPoolSize(1);
        jdbc = JdbcClient.create(dataSource);
        jdbc.sql("CREATE TABLE t (n INTEGER PRIMARY KEY)").update();
        meters = new SimpleMeterRegistry();
        transactions = new DataSourceTransactionManager(dataSource);
        writes = new Writes(transactions, Dialect.SQLITE, meters);
    }

    @AfterEach
    void close() throws Exception {
        writes.destroy();
        dataSource.close();
    }

    private List<Future<Integer>> writeConcurrently(int count, int failEvery) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 1; i <= count; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    start.await();
                    return writes.run(() -> {
                        jdbc.sql("INSERT INTO t (n) VALUES (:n)").param("n", n).update();
                        if (failEvery > 0 && n % failEvery == 0) {
                            throw new IllegalStateException("write " + n + " fails after its insert");
                        }
                        return n;
                    });
                }));
            }
            start.countDown();
        }
        return results;
    }

    @Test
    void concurrentWritesAreCommittedTogetherAndAllStored() throws Exception {
        List<Future<Integer>> results = writeConcurrently(500, 0);

        for (Future<Integer> result : results) {
            assertThat(result.get()).isPositive();
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM t").query(Integer.class).single()).isEqualTo(500);
        long groups = meters.summary("nosso.sqlite.write.group").count();
        assertThat(groups).as("groups for 500 concurrent writes").isLessThan(500);
    }

    @Test
    void aWriteThatFailsFailsAloneAndLeavesNothingBehind() throws Exception {
        List<Future<Integer>> results = writeConcurrently(300, 10);

        int failed = 0;
        for (Future<Integer> result : results) {
            try {
                result.get();
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessageContaining("fails after");
                failed++;
            }
        }
        assertThat(failed).isEqualTo(30);
        List<Integer> stored = jdbc.sql("SELECT n FROM t ORDER BY n").query(Integer.class).list();
        assertThat(stored).hasSize(270).noneMatch(n -> n % 10 == 0);
    }

    @Test
    void aClientErrorBeforeAnyWriteFailsAloneWithoutBreakingTheGroup() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 1; i <= 300; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    start.await();
                    return writes.run(() -> {
                        if (n % 3 == 0) {
                            throw new NotFound("chat"); // refused before writing, as the chat code does
                        }
                        jdbc.sql("INSERT INTO t (n) VALUES (:n)").param("n", n).update();
                        return n;
                    });
                }));
            }
            start.countDown();
        }

        long refused = results.stream().filter(r -> {
            try {
                r.get();
                return false;
            } catch (Exception e) {
                return e.getCause() instanceof NotFound;
            }
        }).count();
        assertThat(refused).isEqualTo(100);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM t").query(Integer.class).single()).isEqualTo(200);
        var groups = meters.summary("nosso.sqlite.write.group");
        assertThat(groups.count()).as("groups for 300 writes, a third refused").isLessThan(300);
    }

    @Test
    void aWriteInsideATransactionJoinsIt() {
        TransactionTemplate outer = new TransactionTemplate(transactions);

        assertThatThrownBy(() -> outer.executeWithoutResult(status -> {
            writes.run(() -> jdbc.sql("INSERT INTO t (n) VALUES (1)").update());
            throw new IllegalStateException("the caller's transaction rolls back");
        })).hasMessageContaining("rolls back");

        assertThat(jdbc.sql("SELECT COUNT(*) FROM t").query(Integer.class).single()).isZero();
    }
}
