package dev.nosso.platform.jobs;

import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The jobs table. Every change a worker makes to a job it holds names the attempt it claimed, so a worker
 * that lost its lease (it stalled, and another took the job) can no longer touch the job.
 */
@Repository
class JobRepository {

    private static final String COLUMNS = """
            id, user_id, kind, payload, state, progress_done, progress_total, error, attempts, created_at, updated_at""";

    private static final String INSERT = """
            INSERT INTO jobs (id, user_id, kind, payload, state, run_after, created_at, updated_at, priority)
            VALUES (:id, :owner, :kind, :payload, 'queued', :now, :now, :now, :priority)
            """;

    // One statement, so that the look and the insert cannot be split by another writer on SQLite; on PostgreSQL
    // two transactions may both insert, which costs a job that finds nothing to do.
    private static final String INSERT_UNLESS_QUEUED = """
            INSERT INTO jobs (id, user_id, kind, payload, state, run_after, created_at, updated_at, priority)
            SELECT :id, :owner, :kind, :payload, 'queued', :now, :now, :now, :priority
             WHERE NOT EXISTS (SELECT 1 FROM jobs q WHERE q.user_id = :owner AND q.kind = :kind AND q.state = 'queued')
            """;

    // Claimable jobs, their columns prefixed by an alias ("j.") or not ("").
    private static String claimable(String alias) {
        return """
                %1$skind IN (:kinds) AND ((%1$sstate = 'queued' AND %1$srun_after <= :now)
                                    OR (%1$sstate = 'running' AND %1$slease_until < :now))""".formatted(alias);
    }

    // One statement both picks and takes a claimable job. Two workers that pick the same one meet at its row:
    // the second finds it no longer claimable and takes nothing. The pick is fair: interactive jobs before
    // background ones; then the owner with the fewest running jobs (few rows: at most the workers of every
    // node); then the owner whose last claim is oldest, so that one owner's thousand queued jobs take turns
    // with another's one; then the oldest job. System jobs (no owner) count as never claimed.
    private static final String CLAIM = """
            UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = :lease, updated_at = :now
             WHERE id = (
                   WITH busy (user_id, running) AS (
                       SELECT user_id, COUNT(*) FROM jobs WHERE state = 'running' AND user_id IS NOT NULL
                        GROUP BY user_id)
                   SELECT j.id FROM jobs j
                     LEFT JOIN busy b ON b.user_id = j.user_id
                     LEFT JOIN job_turns t ON t.user_id = j.user_id
                    WHERE %1$s
                    ORDER BY j.priority, COALESCE(b.running, 0), COALESCE(t.claimed_at, 0), j.created_at, j.id
                    LIMIT 1)
               AND %3$s
            RETURNING %2$s
            """.formatted(claimable("j."), COLUMNS, claimable(""));

    private static final String TAKE_TURN = """
            INSERT INTO job_turns (user_id, claimed_at) VALUES (:owner, :now)
            ON CONFLICT (user_id) DO UPDATE SET claimed_at = excluded.claimed_at
            """;

    // When a job that no worker can claim now becomes claimable: a retry's run_after, or the lease of a job whose
    // worker may have died. In the past when one is claimable already (queued since the claim looked).
    private static final String NEXT_DUE = """
            SELECT MIN(CASE WHEN state = 'queued' THEN run_after ELSE lease_until END) FROM jobs
             WHERE kind IN (:kinds) AND state IN ('queued', 'running')
            """;

    private static final String HEARTBEAT = """
            UPDATE jobs SET lease_until = :lease, progress_done = :done, progress_total = :total, updated_at = :now
             WHERE id = :id AND attempts = :attempt AND state = 'running'
            """;

    private static final String FINISH = """
            UPDATE jobs SET state = 'done', error = NULL, lease_until = NULL, updated_at = :now,
                   progress_done = CASE WHEN progress_total > progress_done THEN progress_total ELSE progress_done END
             WHERE id = :id AND attempts = :attempt AND state = 'running'
            """;

    private static final String FAIL = """
            UPDATE jobs SET state = 'failed', error = :error, lease_until = NULL, updated_at = :now
             WHERE id = :id AND attempts = :attempt AND state = 'running'
            """;

    private static final String RETRY = """
            UPDATE jobs SET state = 'queued', error = :error, lease_until = NULL, run_after = :runAfter, updated_at = :now
             WHERE id = :id AND attempts = :attempt AND state = 'running'
            """;

    // A job stopped by a shutdown was not a failed attempt: it is queued again without counting.
    private static final String RELEASE = """
            UPDATE jobs SET state = 'queued', attempts = attempts - 1, lease_until = NULL, updated_at = :now
             WHERE id = :id AND attempts = :attempt AND state = 'running'
            """;

    private final JdbcClient jdbc;

    JobRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID id, UUID owner, String kind, String payload, Urgency urgency, Instant now) {
        var statement = jdbc.sql(INSERT).param("id", id).param("kind", kind).param("payload", payload)
                .param("now", now.toEpochMilli()).param("priority", urgency.priority());
        statement = owner == null ? statement.param("owner", null, Types.OTHER) : statement.param("owner", owner);
        statement.update();
    }

    /** Inserts the owner's job unless one of its kind is queued already (not running); returns whether it did. */
    boolean insertUnlessQueued(UUID id, UUID owner, String kind, String payload, Urgency urgency, Instant now) {
        return jdbc.sql(INSERT_UNLESS_QUEUED).param("id", id).param("owner", owner).param("kind", kind)
                .param("payload", payload).param("now", now.toEpochMilli()).param("priority", urgency.priority())
                .update() == 1;
    }

    Optional<Job> find(UUID owner, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE id = :id AND user_id = :owner")
                .param("id", id).param("owner", owner).query(Job::fromRow).optional();
    }

    /** Deletes up to {@code limit} jobs that ended before {@code cutoff}; returns how many it deleted. */
    int deleteEnded(Instant cutoff, int limit) {
        return jdbc.sql("""
                DELETE FROM jobs WHERE id IN (
                    SELECT id FROM jobs WHERE state IN ('done', 'failed') AND updated_at < :cutoff LIMIT :limit)
                """).param("cutoff", cutoff.toEpochMilli()).param("limit", limit).update();
    }

    /** Whether a job of this kind waits or runs; for system jobs that must not be queued twice. */
    boolean unfinished(String kind) {
        return jdbc.sql("SELECT COUNT(*) FROM jobs WHERE kind = :kind AND state IN ('queued', 'running')")
                .param("kind", kind).query(Long.class).single() > 0;
    }

    /** Takes the next job by the fair order of {@link #CLAIM}, and records the owner's turn. */
    Optional<Job> claim(Collection<String> kinds, Instant now, Instant leaseUntil) {
        Optional<Job> claimed = jdbc.sql(CLAIM).param("kinds", kinds).param("now", now.toEpochMilli())
                .param("lease", leaseUntil.toEpochMilli()).query(Job::fromRow).optional();
        claimed.map(Job::owner).ifPresent(owner ->
                jdbc.sql(TAKE_TURN).param("owner", owner).param("now", now.toEpochMilli()).update());
        return claimed;
    }

    /** When the next job of these kinds can be claimed; empty when none is queued or running. */
    Optional<Instant> nextDue(Collection<String> kinds) {
        return jdbc.sql(NEXT_DUE).param("kinds", kinds).query(Long.class).optional().map(Instant::ofEpochMilli);
    }

    boolean heartbeat(UUID id, int attempt, int done, int total, Instant now, Instant leaseUntil) {
        return jdbc.sql(HEARTBEAT).param("id", id).param("attempt", attempt).param("done", done)
                .param("total", total).param("now", now.toEpochMilli()).param("lease", leaseUntil.toEpochMilli())
                .update() == 1;
    }

    boolean finish(UUID id, int attempt, Instant now) {
        return jdbc.sql(FINISH).param("id", id).param("attempt", attempt).param("now", now.toEpochMilli())
                .update() == 1;
    }

    boolean fail(UUID id, int attempt, String error, Instant now) {
        return jdbc.sql(FAIL).param("id", id).param("attempt", attempt).param("error", error)
                .param("now", now.toEpochMilli()).update() == 1;
    }

    boolean retry(UUID id, int attempt, String error, Instant runAfter, Instant now) {
        return jdbc.sql(RETRY).param("id", id).param("attempt", attempt).param("error", error)
                .param("runAfter", runAfter.toEpochMilli()).param("now", now.toEpochMilli()).update() == 1;
    }

    boolean release(UUID id, int attempt, Instant now) {
        return jdbc.sql(RELEASE).param("id", id).param("attempt", attempt).param("now", now.toEpochMilli())
                .update() == 1;
    }
}
