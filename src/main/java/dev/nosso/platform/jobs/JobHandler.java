package dev.nosso.platform.jobs;

/**
 * Does the work of one kind of job. A bean implementing this is found at start-up; {@link Jobs#register}
 * adds one later. {@link #run} may be called again for the same job (after a crash, or to retry), so it
 * must be idempotent.
 */
public interface JobHandler {

    /** The kind this handler runs, as given to {@link Jobs#enqueue}. */
    String kind();

    /**
     * Runs the job. Throw {@link JobFailure} for a failure that another attempt cannot fix (a corrupt
     * file); any other exception is taken as transient and the job is tried again, up to the limit.
     */
    void run(RunningJob job) throws Exception;

    /** Called once when the job has failed for good, with the reason it records; for handlers that keep a state of their own. */
    default void failed(RunningJob job, String reason) {
    }
}
