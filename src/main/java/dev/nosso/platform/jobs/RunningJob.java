package dev.nosso.platform.jobs;

import java.util.UUID;

/**
 * A job while a worker holds it: its values, and where the handler reports progress. Progress is written at
 * most every few hundred milliseconds, however often it is reported.
 */
public final class RunningJob {

    private final Job job;
    private final int attempt;
    private final Progress progress;

    RunningJob(Job job, int attempt, Progress progress) {
        this.job = job;
        this.attempt = attempt;
        this.progress = progress;
    }

    public UUID id() {
        return job.id();
    }

    public UUID owner() {
        return job.owner();
    }

    public String kind() {
        return job.kind();
    }

    public String payload() {
        return job.payload();
    }

    /** 1 for the first attempt. */
    public int attempt() {
        return attempt;
    }

    /** Reports {@code done} of {@code total} units. */
    public void progress(int done, int total) {
        progress.report(done, total);
    }

    interface Progress {
        void report(int done, int total);
    }
}
