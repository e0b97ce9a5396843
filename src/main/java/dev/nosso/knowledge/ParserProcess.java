package dev.nosso.knowledge;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.util.unit.DataSize;

/**
 * One {@link ParseWorker} process: a JVM on the server's own class path with a capped heap, which dies at its
 * first {@link OutOfMemoryError} instead of lingering. It takes one request at a time; a caller that holds it
 * may kill it at any moment (a time limit), and then reads the end of its output.
 */
final class ParserProcess {

    /** What the JVM exits with after {@code -XX:+ExitOnOutOfMemoryError}. */
    static final int OUT_OF_MEMORY_EXIT = 3;

    private final Process process;
    private final DataOutputStream requests;
    private final DataInputStream answers;
    private volatile boolean expired;
    private volatile long lastUsed = System.nanoTime();

    private ParserProcess(Process process) {
        this.process = process;
        this.requests = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
        this.answers = new DataInputStream(new BufferedInputStream(process.getInputStream()));
    }

    static ParserProcess start(DataSize memory) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx" + memory.toMegabytes() + "m");
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-XX:+DisplayVMOutputToStderr"); // the JVM's last words must not land among the answers
        command.add("-XX:+UseSerialGC"); // one parse at a time: no GC threads to feed
        command.add("-XX:TieredStopAtLevel=1"); // quick to start; a parse is short
        command.add("-Djava.awt.headless=true");
        command.addAll(classPath());
        return new ParserProcess(new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /**
     * The class path and main class that start {@link ParseWorker}: the server's own class path when it runs
     * from classes and jars (an IDE, {@code spring-boot:run}, the tests); from an executable jar, Spring Boot's
     * launcher in that jar, told which main class to run.
     */
    private static List<String> classPath() {
        URL location = ParseWorker.class.getProtectionDomain().getCodeSource().getLocation();
        String classPath = System.getProperty("java.class.path");
        if (location != null && location.toString().startsWith("jar:nested:")) {
            return List.of("-cp", classPath, "-Dloader.main=" + ParseWorker.class.getName(),
                    "org.springframework.boot.loader.launch.PropertiesLauncher");
        }
        return List.of("-cp", classPath, ParseWorker.class.getName());
    }

    boolean alive() {
        return process.isAlive() && !expired;
    }

    /** How long it has been idle, once it is back in the pool. */
    long idleNanos() {
        return System.nanoTime() - lastUsed;
    }

    void used() {
        lastUsed = System.nanoTime();
    }

    /** Sends one request; the answer is read with {@link #answers()}. */
    void send(byte kind, Path path, String mediaType, int maxChars) throws IOException {
        requests.writeByte(kind);
        requests.writeUTF(path.toAbsolutePath().toString());
        requests.writeUTF(mediaType);
        requests.writeInt(maxChars);
        requests.flush();
    }

    DataInputStream answers() {
        return answers;
    }

    /** Kills it because its request overran its time limit. */
    void expire() {
        expired = true;
        process.destroyForcibly();
    }

    boolean expired() {
        return expired;
    }

    void kill() {
        process.destroyForcibly();
    }

    /** The exit code once the process has ended (after a failed read), or -1 if it has not within a while. */
    int exitCode() throws InterruptedException {
        return process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** Lets it go: it ends by itself when its input closes, and is killed if it does not. */
    void close() {
        try {
            requests.close();
        } catch (IOException e) {
            // already gone
        }
        process.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> {
            process.destroyForcibly();
            return null;
        });
    }
}
