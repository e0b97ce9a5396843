package dev.nosso.platform.jobs;

import dev.nosso.platform.DatabaseOutage;
import dev.nosso.platform.Reads;
import dev.nosso.platform.Writes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The workers: a few platform threads (the work is CPU-bound, such as embedding) that claim jobs, run their
 * handlers, and record how each ended. While a job runs, its lease is renewed and its progress written, at
 * most every {@link #TICK}. On shutdown a running job is handed back to the queue, so the next start (or
 * another node) resumes it at once; a process that dies instead leaves the lease to expire.
 *
 * <p>An idle worker sends nothing to the database: it sleeps until a job is queued on any node (a cluster
 * event wakes it) or until the next job that is waiting for a time is due (a retry, or a lease that may
 * expire). The first worker also looks every {@code poll-interval}, a safety net for events that never came;
 * one is enough, since a worker that finds a job wakes another.
 */
@Component
class JobRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    static final Duration TICK = Duration.ofMillis(250);
    static final Duration SWEEP_EVERY = Duration.ofHours(1);
    // A job due now that the claim did not find (another worker took it meanwhile) is looked for again after
    // this, so that a clock between two rows never makes a worker spin.
    private static final Duration MIN_SLEEP = Duration.ofMillis(10);
    private static final Duration UNTIL_WOKEN = Duration.ofMillis(Long.MAX_VALUE);
    private static final int SWEEP_BATCH = 1000;
    private static final int MAX_ERROR_CHARS = 2000;

    private final Jobs jobs;
    private final JobRepository repository;
    private final Writes writes;
    private final Reads reads;
    private final JobSettings settings;
    private final Clock clock;
    private final DatabaseOutage outage;
    private final List<Thread> workers = new ArrayList<>();
    private ScheduledExecutorService ticker;
    private volatile boolean running;

    JobRunner(Jobs jobs, JobRepository repository, Writes writes, Reads reads, JobSettings settings, Clock clock,
              DatabaseOutage outage) {
        this.outage = outage;
        this.jobs = jobs;
        this.repository = repository;
        this.writes = writes;
        this.reads = reads;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        running = true;
        ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("nosso-job-heartbeat").daemon().factory());
        ticker.scheduleWithFixedDelay(this::sweep, SWEEP_EVERY.toMillis() / 60, SWEEP_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        for (int i = 0; i < settings.workers(); i++) {
            boolean polls = i == 0;
            Thread worker = Thread.ofPlatform().name("nosso-job-worker-" + i).daemon().unstarted(() -> work(polls));
            workers.add(worker);
            worker.start();
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        workers.clear();
        ticker.shutdownNow();
    }

    /**
     * Deletes jobs that ended longer than {@code keep-ended} ago, a thousand per write so that SQLite's one
     * writer is never held for long. Runs on the heartbeat thread: a minute after start, then hourly.
     */
    void sweep() {
        try {
            Instant cutoff = clock.instant().minus(settings.keepEnded());
            int deleted = 0;
            int batch;
            do {
                batch = writes.run(() -> repository.deleteEnded(cutoff, SWEEP_BATCH));
                deleted += batch;
            } while (batch == SWEEP_BATCH && running);
            if (deleted > 0) {
                log.info("Deleted {} jobs that ended before {}", deleted, cutoff);
            }
        } catch (RuntimeException e) {
            if (!outage.noted(e, "Deleting old jobs")) {
                log.warn("Could not delete old jobs: {}", e.getMessage());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    // Stops before the web server and the database go (their phases are higher and lower respectively).
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }

    private void work(boolean polls) {
        while (running) {
            try {
                // Wake-ups that came before this look are answered by it: a job whose event woke this worker
                // was committed before the event was sent, so the claim below sees it.
                jobs.wakeups().drainPermits();
                Set<String> kinds = Set.copyOf(jobs.handlers().keySet());
                Optional<Job> claimed = claim(kinds);
                if (claimed.isPresent()) {
                    jobs.wake(); // one event may stand for several jobs: another idle worker looks for the next
                    execute(claimed.get());
                } else {
                    jobs.wakeups().tryAcquire(sleep(kinds, polls).toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!outage.noted(e, "The job worker")) {
                    log.warn("The job worker could not reach the queue; it tries again shortly: {}", e.toString());
                }
                sleepQuietly(Duration.ofSeconds(1));
            }
        }
    }

    private Optional<Job> claim(Set<String> kinds) {
        if (kinds.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return write(() -> repository.claim(kinds, now, now.plus(settings.lease())));
    }

    /** How long an idle worker may sleep: until the next job is due, and at most the poll interval if it polls. */
    private Duration sleep(Set<String> kinds, boolean polls) {
        Duration longest = polls ? settings.pollInterval() : UNTIL_WOKEN;
        if (kinds.isEmpty()) {
            return longest;
        }
        Optional<Instant> due = reads.run(() -> repository.nextDue(kinds));
        if (due.isEmpty()) {
            return longest;
        }
        Duration untilDue = Duration.between(clock.instant(), due.get());
        return untilDue.compareTo(MIN_SLEEP) < 0 ? MIN_SLEEP : untilDue.compareTo(longest) > 0 ? longest : untilDue;
    }

    private void execute(Job job) {
        JobHandler handler = jobs.handlers().get(job.kind());
        Progress progress = new Progress(job);
        RunningJob running = new RunningJob(job, job.attempts(), progress);
        ScheduledFuture<?> beat = ticker.scheduleWithFixedDelay(progress::tick, TICK.toMillis(), TICK.toMillis(),
                TimeUnit.MILLISECONDS);
        Throwable failure = null;
        try {
            handler.run(running);
        } catch (Throwable e) {
            failure = e;
        } finally {
            beat.cancel(false);
        }
        if (!this.running && (failure != null || Thread.currentThread().isInterrupted())) {
            // Stopped by the shutdown: not this job's fault. Queued again, without counting the attempt, and
            // announced, so that another node's worker resumes it at once.
            write(() -> {
                boolean released = repository.release(job.id(), job.attempts(), clock.instant());
                if (released) {
                    jobs.announce(job.kind());
                }
                return released;
            });
            log.info("Job {} ({}) handed back to the queue by the shutdown", job.id(), job.kind());
            return;
        }
        progress.flush();
        if (failure == null) {
            write(() -> repository.finish(job.id(), job.attempts(), clock.instant()));
            return;
        }
        String reason = reason(failure);
        boolean permanent = failure instanceof JobFailure || failure instanceof Error;
        if (!permanent && job.attempts() < settings.maxAttempts()) {
            Instant now = clock.instant();
            Instant next = now.plus(settings.retryDelay().multipliedBy(job.attempts()));
            if (!outage.noted(failure, "Job " + job.id() + " (" + job.kind() + ")")) {
                log.warn("Job {} ({}) attempt {} failed, retried after {}: {}", job.id(), job.kind(), job.attempts(),
                        next, failure.toString());
            }
            write(() -> repository.retry(job.id(), job.attempts(), reason, next, now));
            return;
        }
        if (!(failure instanceof JobFailure)) {
            log.warn("Job {} ({}) failed after {} attempts", job.id(), job.kind(), job.attempts(), failure);
        }
        boolean recorded = write(() -> repository.fail(job.id(), job.attempts(), reason, clock.instant()));
        if (recorded) {
            try {
                handler.failed(running, reason);
            } catch (RuntimeException e) {
                log.warn("Job {} ({}): its handler could not record the failure", job.id(), job.kind(), e);
            }
        }
    }

    private static String reason(Throwable failure) {
        String message = failure.getMessage();
        String reason = message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
        return reason.length() > MAX_ERROR_CHARS ? reason.substring(0, MAX_ERROR_CHARS) + "…" : reason;
    }

    private <T> T write(Supplier<T> work) {
        return writes.run(work);
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The progress a handler reports, written with the lease renewal: at most once per tick while it
     * changes, and once per a third of the lease while it does not.
     */
    private final class Progress implements RunningJob.Progress {

        private final Job job;
        private final AtomicLong reported = new AtomicLong(-1);
        private long written = -1;
        private Instant renewed;

        Progress(Job job) {
            this.job = job;
            this.renewed = clock.instant();
        }

        @Override
        public void report(int done, int total) {
            reported.set(((long) done << 32) | (total & 0xffffffffL));
        }

        synchronized void tick() {
            long now = reported.get();
            boolean stale = Duration.between(renewed, clock.instant()).compareTo(settings.lease().dividedBy(3)) >= 0;
            if (now != written || stale) {
                flush();
            }
        }

        synchronized void flush() {
            long now = reported.get();
            int done = now < 0 ? 0 : (int) (now >>> 32);
            int total = now < 0 ? 0 : (int) now;
            try {
                Instant at = clock.instant();
                boolean held = write(() -> repository.heartbeat(job.id(), job.attempts(), done, total, at,
                        at.plus(settings.lease())));
                if (!held && running) {
                    log.warn("Job {} ({}) lost its lease; another worker has it now", job.id(), job.kind());
                }
                written = now;
                renewed = at;
            } catch (RuntimeException e) {
                log.debug("Job {}: heartbeat failed, tried again at the next tick", job.id(), e);
            }
        }
    }
}
