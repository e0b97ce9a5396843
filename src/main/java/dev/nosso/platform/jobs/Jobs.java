package dev.nosso.platform.jobs;

import dev.nosso.platform.Ids;
import dev.nosso.platform.Writes;
import dev.nosso.platform.cluster.ClusterEvents;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The durable job queue: {@link #enqueue} records work for later, {@link #find} tells its owner how far it
 * got. Workers ({@code JobRunner}) run the jobs of every kind that has a {@link JobHandler}.
 *
 * <p>A queued job wakes the workers of every node through a cluster event, sent when the job's transaction
 * commits; so workers need not poll the table to start a job at once, wherever it was queued.
 */
@Service
public class Jobs {

    /** The cluster event of a job committed to the queue; its payload is the job's kind. */
    static final String JOB_QUEUED = "job-queued";

    private final JobRepository jobs;
    private final Writes writes;
    private final Clock clock;
    private final ClusterEvents events;
    private final Map<String, JobHandler> handlers = new ConcurrentHashMap<>();
    private final Semaphore wakeups = new Semaphore(0);

    Jobs(JobRepository jobs, Writes writes, Clock clock, ClusterEvents events,
         ObjectProvider<JobHandler> handlerBeans) {
        this.jobs = jobs;
        this.writes = writes;
        this.clock = clock;
        this.events = events;
        // Missed events (null) wake the workers too: a look at the queue finds whatever was missed.
        events.subscribe(JOB_QUEUED, kind -> wake());
        handlerBeans.orderedStream().forEach(this::register);
    }

    /**
     * Queues a job and returns its id. Inside a transaction it joins it, on purpose: the job then exists
     * exactly when the change that needs it does, and a crash between the two cannot lose it. Outside one
     * it commits on its own. Workers on every node are woken once the job is committed.
     *
     * @param owner   the user the job works for, who may follow it; null for the system's own jobs
     * @param kind    the {@link JobHandler#kind()} that will run it
     * @param payload what the handler needs, usually a small JSON text
     */
    public UUID enqueue(UUID owner, String kind, String payload) {
        return enqueue(owner, kind, payload, Urgency.BACKGROUND);
    }

    /** As {@link #enqueue(UUID, String, String)}, in the given class: interactive jobs run before any background one. */
    public UUID enqueue(UUID owner, String kind, String payload, Urgency urgency) {
        UUID id = Ids.next();
        writes.run(() -> {
            jobs.insert(id, owner, kind, payload, urgency, clock.instant());
            announce(kind);
            return null;
        });
        return id;
    }

    /**
     * Queues a background job for the owner unless one of its kind is queued for them already (one that runs
     * does not count: it may have read its work before the caller's change). For work gathered elsewhere, such
     * as messages waiting to be remembered, that one job per owner takes a batch at a time. Joins the caller's
     * transaction as {@link #enqueue} does; returns whether it queued one.
     */
    public boolean enqueueUnlessQueued(UUID owner, String kind, String payload) {
        return Boolean.TRUE.equals(writes.run(() -> {
            boolean queued = jobs.insertUnlessQueued(Ids.next(), owner, kind, payload, Urgency.BACKGROUND,
                    clock.instant());
            if (queued) {
                announce(kind);
            }
            return queued;
        }));
    }

    /**
     * Queues a system job (no owner) unless one of its kind is already queued or running; returns whether it
     * queued one. Two servers starting at once may both queue it: such jobs must find nothing left to do
     * the second time.
     */
    public boolean enqueueUnlessUnfinished(String kind, String payload) {
        return Boolean.TRUE.equals(writes.run(() -> {
            if (jobs.unfinished(kind)) {
                return false;
            }
            jobs.insert(Ids.next(), null, kind, payload, Urgency.BACKGROUND, clock.instant());
            announce(kind);
            return true;
        }));
    }

    /** The owner's job, or empty for a job that does not exist or is someone else's. */
    @Transactional(readOnly = true)
    public Optional<Job> find(UUID owner, UUID id) {
        return jobs.find(owner, id);
    }

    /** Adds (or replaces) the handler of a kind; the workers take its queued jobs from their next look on. */
    public void register(JobHandler handler) {
        handlers.put(handler.kind(), handler);
        wake();
    }

    Map<String, JobHandler> handlers() {
        return handlers;
    }

    Semaphore wakeups() {
        return wakeups;
    }

    /**
     * Tells the workers of every node that a job of {@code kind} is waiting. Inside the transaction that
     * queues it, so the event goes out when that commits (and never if it rolls back): a worker that hears it
     * finds the job.
     */
    void announce(String kind) {
        events.publish(JOB_QUEUED, kind);
    }

    /** Wakes one idle worker of this node. */
    void wake() {
        wakeups.release();
    }
}
