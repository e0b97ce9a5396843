package dev.nosso.platform.jobs;

/**
 * Which class a job is in. Every interactive job that can run is claimed before any background one; within
 * a class the owners take turns ({@code JobRepository}'s claim).
 */
public enum Urgency {

    /** Someone is waiting for it, such as a file just uploaded. */
    INTERACTIVE(0),
    /** Nobody is waiting for it: memory, re-indexing, clean-up. */
    BACKGROUND(1);

    private final int priority;

    Urgency(int priority) {
        this.priority = priority;
    }

    /** The value stored in {@code jobs.priority}: lower runs first. */
    int priority() {
        return priority;
    }
}
