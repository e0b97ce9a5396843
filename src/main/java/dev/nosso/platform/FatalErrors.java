package dev.nosso.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the process does with an error it cannot recover from. An {@link OutOfMemoryError} that ends one of
 * the web server's own threads (its acceptor or poller) leaves a process that is up but accepts no
 * connection; better to stop at once, so that whatever supervises the server starts it again. Nothing is lost
 * by stopping: questions are committed before any model runs, and answers that were streaming become
 * {@code interrupted} with their text at the next start.
 */
public final class FatalErrors {

    /** The exit code, the same as the JVM's own {@code -XX:+ExitOnOutOfMemoryError}. */
    public static final int EXIT_CODE = 3;

    private static final Logger log = LoggerFactory.getLogger(FatalErrors.class);

    private FatalErrors() {
    }

    /** Makes any thread that dies of a {@link VirtualMachineError} stop the process. */
    public static void stopOnVirtualMachineError() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (error instanceof VirtualMachineError) {
                try {
                    System.err.println("Stopping: thread " + thread.getName() + " died of " + error);
                    log.error("Stopping: thread {} died of {}", thread.getName(), error.toString());
                } finally {
                    Runtime.getRuntime().halt(EXIT_CODE); // no shutdown hooks: they may need the memory that ran out
                }
            }
            if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                error.printStackTrace();
            }
        });
    }
}
