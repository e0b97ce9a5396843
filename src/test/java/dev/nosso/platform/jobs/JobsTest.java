package dev.nosso.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.platform.Writes;
import dev.nosso.support.Eventually;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The durable queue on a real database, each of the two: transactions, failures, retries, leases and
 * progress. It needs the platform module alone (the pools, the migrations, {@link Writes}, the queue and its
 * workers), so the rest of the application and its web server are not started.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Dialect.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /**
     * dev.nosso.platform and below, with Boot's auto-configuration (JDBC, Flyway, transactions, metrics). Not a
     * {@code @Configuration}: the whole application's component scan, which sees the test classes too, would
     * take it up in every other test's server.
     */
    @EnableAutoConfiguration
    @ComponentScan(basePackageClasses = Writes.class)
    @ConfigurationPropertiesScan(basePackageClasses = Writes.class)
    static class Platform {
    }

    @Parameter
    Dialect dialect;

    private TestDatabase database;
    private ConfigurableApplicationContext platform;

    @BeforeParameterizedClassInvocation
    void startPlatform() {
        database = TestDatabase.fresh(dialect);
        platform = TestServer.startPart(Platform.class, database,
                Map.of("nosso.jobs.retry-delay", "50ms", "nosso.jobs.max-attempts", "3", "nosso.jobs.lease", "2s"));
    }

    @AfterParameterizedClassInvocation
    void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private Jobs jobs() {
        return platform.getBean(Jobs.class);
    }

    private JdbcClient jdbc() {
        return platform.getBean(JdbcClient.class);
    }

    private String state(UUID id) {
        return jdbc().sql("SELECT state FROM jobs WHERE id = :id").param("id", id).query(String.class).single();
    }

    private int attempts(UUID id) {
        return jdbc().sql("SELECT attempts FROM jobs WHERE id = :id").param("id", id).query(Integer.class).single();
    }

    private String error(UUID id) {
        return jdbc().sql("SELECT error FROM jobs WHERE id = :id").param("id", id)
                .query((rs, row) -> rs.getString("error")).list().getFirst();
    }

    private static JobHandler handler(String kind, ThrowingRun run) {
        return new JobHandler() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public void run(RunningJob job) throws Exception {
                run.run(job);
            }
        };
    }

    interface ThrowingRun {
        void run(RunningJob job) throws Exception;
    }

    @Test
    void aJobEnqueuedInARolledBackTransactionNeverExistsAndOneInACommittedOneDoes() {
        TransactionTemplate transaction = new TransactionTemplate(
                platform.getBean(PlatformTransactionManager.class));

        UUID rolledBack = transaction.execute(status -> {
            UUID id = jobs().enqueue(null, "test-rolled-back", "{}");
            status.setRollbackOnly();
            return id;
        });
        UUID committed = transaction.execute(status -> jobs().enqueue(null, "test-committed", "{}"));

        assertThat(jdbc().sql("SELECT COUNT(*) FROM jobs WHERE id = :id").param("id", rolledBack).query(Long.class)
                .single()).isZero();
        assertThat(state(committed)).isEqualTo("queued");
    }

    @Test
    void aHandlerThatFailsForGoodEndsTheJobFailedWithItsReasonAtOnce() {
        AtomicInteger failedCalls = new AtomicInteger();
        jobs().register(new JobHandler() {
            @Override
            public String kind() {
                return "test-fails";
            }

            @Override
            public void run(RunningJob job) {
                throw new JobFailure("The document is encrypted.");
            }

            @Override
            public void failed(RunningJob job, String reason) {
                failedCalls.incrementAndGet();
            }
        });

        UUID id = jobs().enqueue(null, "test-fails", "{}");

        Eventually.within(WAIT).alias("the job fails").until(() -> state(id).equals("failed"));
        assertThat(error(id)).isEqualTo("The document is encrypted.");
        assertThat(attempts(id)).isEqualTo(1);
        Eventually.within(WAIT).alias("the handler hears of it").until(() -> failedCalls.get() == 1);
    }

    @Test
    void aTransientFailureIsRetriedAndAPersistentOneFailsAfterTheLastAttempt() {
        AtomicInteger calls = new AtomicInteger();
        jobs().register(handler("test-flaky", job -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("upstream busy");
            }
        }));
        jobs().register(handler("test-broken", job -> {
            throw new IllegalStateException("disk on fire");
        }));

        UUID flaky = jobs().enqueue(null, "test-flaky", "{}");
        UUID broken = jobs().enqueue(null, "test-broken", "{}");

        Eventually.within(WAIT).alias("the flaky job ends").until(() -> state(flaky).equals("done"));
        assertThat(attempts(flaky)).isEqualTo(3);
        assertThat(error(flaky)).isNull();
        Eventually.within(WAIT).alias("the broken job ends").until(() -> state(broken).equals("failed"));
        assertThat(attempts(broken)).isEqualTo(3);
        assertThat(error(broken)).isEqualTo("disk on fire");
    }

    @Test
    void aJobWhoseLeaseExpiredIsClaimedAgainAndOneStillLeasedIsNot() {
        UUID abandoned = jobs().enqueue(null, "test-lease", "{}");
        UUID held = jobs().enqueue(null, "test-lease", "{}");
        long now = System.currentTimeMillis();
        // As a worker that died mid-job leaves them: running, once with a lease long gone, once still held.
        jdbc().sql("UPDATE jobs SET state = 'running', attempts = 1, lease_until = :lease WHERE id = :id")
                .param("lease", now - 1_000).param("id", abandoned).update();
        jdbc().sql("UPDATE jobs SET state = 'running', attempts = 1, lease_until = :lease WHERE id = :id")
                .param("lease", now + 600_000).param("id", held).update();

        jobs().register(handler("test-lease", job -> {
        }));

        Eventually.within(WAIT).alias("the abandoned job is done").until(() -> state(abandoned).equals("done"));
        assertThat(attempts(abandoned)).isEqualTo(2);
        assertThat(state(held)).isEqualTo("running");
        assertThat(attempts(held)).isEqualTo(1);
    }

    @Test
    void progressIsRecordedWhileTheJobRunsAndTheLeaseIsRenewed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        jobs().register(handler("test-progress", job -> {
            job.progress(3, 10);
            release.await(30, TimeUnit.SECONDS);
            job.progress(10, 10);
        }));

        UUID id = jobs().enqueue(null, "test-progress", "{}");

        Eventually.within(WAIT).alias("progress 3/10 is stored").until(() -> jdbc().sql(
                "SELECT progress_done * 100 + progress_total FROM jobs WHERE id = :id").param("id", id)
                .query(Integer.class).single() == 310);
        long firstLease = jdbc().sql("SELECT lease_until FROM jobs WHERE id = :id").param("id", id)
                .query(Long.class).single();
        Eventually.within(WAIT).alias("the lease is renewed").until(() -> jdbc()
                .sql("SELECT lease_until FROM jobs WHERE id = :id").param("id", id).query(Long.class).single() > firstLease);
        release.countDown();
        Eventually.within(WAIT).alias("the job is done").until(() -> state(id).equals("done"));
        assertThat(jdbc().sql("SELECT progress_done FROM jobs WHERE id = :id").param("id", id).query(Integer.class)
                .single()).isEqualTo(10);
    }

    @Test
    void endedJobsAreDeletedOnceTheyAreOlderThanTheRetentionAndOthersStay() {
        jobs().register(handler("sweep-done", job -> { }));
        UUID old = jobs().enqueue(null, "sweep-done", "{}");
        UUID recent = jobs().enqueue(null, "sweep-done", "{}");
        UUID waiting = jobs().enqueue(null, "sweep-nobody-runs", "{}");
        Eventually.within(WAIT).alias("both done")
                .until(() -> state(old).equals("done") && state(recent).equals("done"));
        long longAgo = Instant.now().minus(Duration.ofDays(8)).toEpochMilli();
        jdbc().sql("UPDATE jobs SET updated_at = :t WHERE id IN (:ids)").param("t", longAgo)
                .param("ids", java.util.List.of(old, waiting)).update();

        platform.getBean(JobRunner.class).sweep();

        assertThat(jdbc().sql("SELECT COUNT(*) FROM jobs WHERE id = :id").param("id", old).query(Long.class).single())
                .isZero();
        assertThat(state(recent)).isEqualTo("done");
        assertThat(state(waiting)).isEqualTo("queued"); // old, but not ended
    }

    @Test
    void aFileSomeoneWaitsForGoesFirstAndOwnersTakeTurnsWhateverTheirBacklog() {
        UUID alice = newUser(), bob = newUser(), carol = newUser();
        // Alice's backlog was queued first: a queue in order of arrival would run all of it before anyone else.
        for (int i = 0; i < 10; i++) {
            jobs().enqueue(alice, "test-fair", "a" + i);
        }
        jobs().enqueue(bob, "test-fair", "b0");
        jobs().enqueue(bob, "test-fair", "b1");
        jobs().enqueue(carol, "test-fair", "upload", Urgency.INTERACTIVE);
        List<String> started = new CopyOnWriteArrayList<>();
        jobs().register(handler("test-fair", job -> {
            started.add(job.payload());
            Thread.sleep(20);
        }));

        Eventually.within(WAIT).alias("every job has run").until(() -> started.size() == 13);
        assertThat(started.subList(0, 2)).contains("upload"); // two workers start at once
        // Bob shares the workers with Alice's backlog (in order of arrival, his jobs would come after all of hers).
        assertThat(started.indexOf("b1")).isLessThan(started.indexOf("a5"));
        assertThat(started.stream().filter(p -> p.startsWith("a")).toList()) // two workers: neighbours may swap
                .containsExactlyInAnyOrder("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9");
    }

    @Test
    void aJobQueuedUnlessOneIsQueuedIsQueuedOncePerOwner() {
        UUID alice = newUser(), bob = newUser();
        assertThat(jobs().enqueueUnlessQueued(alice, "test-coalesced", "{}")).isTrue();
        assertThat(jobs().enqueueUnlessQueued(alice, "test-coalesced", "{}")).isFalse();
        assertThat(jobs().enqueueUnlessQueued(bob, "test-coalesced", "{}")).isTrue();
        assertThat(jdbc().sql("SELECT COUNT(*) FROM jobs WHERE kind = 'test-coalesced'").query(Long.class).single())
                .isEqualTo(2);
    }

    private UUID newUser() {
        UUID id = UUID.randomUUID();
        jdbc().sql("""
                INSERT INTO users (id, email, name, password_hash, role, status, created_at, updated_at)
                VALUES (:id, :email, 'Test', 'x', 'user', 'active', 0, 0)
                """).param("id", id).param("email", id + "@nosso.test").update();
        return id;
    }
}
