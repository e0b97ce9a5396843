package dev.nosso.platform.jobs;

/** A failure that trying again cannot fix. Its message is the reason the job records, so it must read well. */
public class JobFailure extends RuntimeException {

    public JobFailure(String reason) {
        super(reason);
    }

    public JobFailure(String reason, Throwable cause) {
        super(reason, cause);
    }
}
