package dev.nosso.provider;

import java.util.ArrayList;
import java.util.List;

/**
 * Lets one thread stop a completion that another thread is reading. The reader registers how to stop it
 * (closing the response body, say); {@link #cancel()} runs that at once, from whichever thread calls it.
 */
public final class Cancellation {

    private final List<Runnable> actions = new ArrayList<>();
    private boolean cancelled;

    /** Runs {@code action} when cancelled, or right away if that already happened. */
    public void onCancel(Runnable action) {
        synchronized (this) {
            if (!cancelled) {
                actions.add(action);
                return;
            }
        }
        action.run();
    }

    public void cancel() {
        List<Runnable> toRun;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = List.copyOf(actions);
            actions.clear();
        }
        toRun.forEach(Runnable::run);
    }

    public synchronized boolean isCancelled() {
        return cancelled;
    }
}
