package dev.nosso.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.Eventually;
import dev.nosso.support.ServerTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On PostgreSQL, writers of an owner's chunks take the locks of their sources and then the owner's version
 * row. Deleting a subtree of messages forgets several sources in one transaction while index jobs may be
 * writing one of them: the order of the locks must never let the two wait for each other.
 */
class IndexerLocksTest extends ServerTest {

    @Test
    void forgettingSeveralSourcesWaitsForAJobWritingOneOfThemInsteadOfDeadlocking() throws Exception {
        Assumptions.assumeTrue(dialect == Dialect.POSTGRESQL, "SQLite's single writer never waits on a lock");
        UUID owner = UUID.fromString(server.newUser().get("/api/v1/auth/me").expect(200).text("/id"));
        Indexer indexer = server.context().getBean(Indexer.class);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        for (UUID source : List.of(first, second)) {
            indexer.index(new SourceText(owner, SourceKind.MESSAGE, source, "a chat", UUID.randomUUID(),
                    "A passage of message " + source + "."), (done, total) -> { });
        }
        JdbcClient jdbc = server.context().getBean(JdbcClient.class);
        TransactionTemplate job = new TransactionTemplate(server.context().getBean(PlatformTransactionManager.class));

        // Threads of their own: the common pool may have a single thread, and the deletion blocks one.
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CompletableFuture<Void> forgetting = job.execute(status -> {
            // What an index job of the second message does: its source's lock first ...
            server.context().getBean(ChunkRepository.class).lockSources(List.of(second));
            CompletableFuture<Void> deleting = CompletableFuture.runAsync(
                    () -> indexer.forget(owner, SourceKind.MESSAGE, List.of(first, second)), threads);
            awaitAWaitingAdvisoryLock(jdbc, threads);
            // ... then the owner's version row, which the deleting transaction must not hold while it waits.
            server.context().getBean(ChunkVersions.class).record(owner, ChunkVersions.Change.Kind.SOURCE,
                    second.toString());
            return deleting;
        });

        try {
            forgetting.get(30, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM chunks WHERE user_id = :owner").param("owner", owner)
                .query(Long.class).single()).isZero();
    }

    /** Waits until some session of this database waits for an advisory lock; asked on another connection. */
    private static void awaitAWaitingAdvisoryLock(JdbcClient jdbc, ExecutorService threads) {
        Eventually.within(Duration.ofSeconds(30)).alias("a session waits for the source's lock")
                .until(() -> CompletableFuture.supplyAsync(() -> jdbc.sql("""
                        SELECT COUNT(*) FROM pg_locks
                         WHERE locktype = 'advisory' AND NOT granted
                           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                        """).query(Long.class).single(), threads).join() > 0);
    }
}
