package dev.nosso.knowledge;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Runs Tika in {@link ParserProcess}es, so that no file can take the server's memory: at most
 * {@code parseProcesses} of them at once, each with a heap of {@code parseMemory}, killed when a request
 * overruns its time limit (a parse that ignores interruption cannot run on after its job has failed or
 * been tried again). Idle processes are kept for a minute for the next file, then let go.
 */
@Component
class ParserProcesses implements DisposableBean {

    private static final Duration KEEP_IDLE = Duration.ofMinutes(1);

    private final KnowledgeSettings settings;
    private final Semaphore permits;
    private final Deque<ParserProcess> idle = new ArrayDeque<>();
    private final Set<ParserProcess> busy = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("nosso-parse-timer").daemon().factory());

    ParserProcesses(KnowledgeSettings settings) {
        this.settings = settings;
        this.permits = new Semaphore(settings.parseProcesses(), true);
        timer.scheduleWithFixedDelay(this::letIdleGo, 30, 30, TimeUnit.SECONDS);
    }

    /** Tika's media type for the file's content. */
    String detect(Path path) throws InterruptedException {
        return call(ParseWorker.DETECT, path, "", 0, in -> in.readUTF());
    }

    /** The file's text, read as {@code mediaType}, at most {@code maxChars} characters of it. */
    TextExtraction.Extracted extract(Path path, String mediaType, int maxChars) throws InterruptedException {
        return call(ParseWorker.EXTRACT, path, mediaType, maxChars, in -> {
            boolean truncated = in.readBoolean();
            String text = new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
            return new TextExtraction.Extracted(text, truncated);
        });
    }

    private interface Answer<T> {
        T read(DataInputStream in) throws IOException;
    }

    private <T> T call(byte kind, Path path, String mediaType, int maxChars, Answer<T> answer)
            throws InterruptedException {
        permits.acquire();
        ParserProcess process = null;
        try {
            process = take();
            ScheduledFuture<?> deadline = timer.schedule(process::expire, settings.parseTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                process.send(kind, path, mediaType, maxChars);
                DataInputStream in = process.answers();
                byte status = in.readByte();
                if (status == ParseWorker.FAILED) {
                    String reason = in.readUTF();
                    deadline.cancel(false);
                    giveBack(process);
                    throw new UnreadableFile(reason);
                }
                if (status != ParseWorker.OK) {
                    throw new IOException("an answer that is not one: " + status);
                }
                T result = answer.read(in);
                deadline.cancel(false);
                giveBack(process);
                return result;
            } catch (IOException e) {
                deadline.cancel(false);
                throw failure(process);
            }
        } finally {
            if (process != null) {
                busy.remove(process);
            }
            permits.release();
        }
    }

    /** Why a process stopped answering, in words for the file's owner. */
    private UnreadableFile failure(ParserProcess process) throws InterruptedException {
        if (process.expired()) {
            return new UnreadableFile("Reading the file took longer than the limit of "
                    + settings.parseTimeout().toSeconds() + " s.");
        }
        int exit = process.exitCode();
        process.kill();
        if (exit == ParserProcess.OUT_OF_MEMORY_EXIT) {
            return new UnreadableFile("Reading the file needed more than the " + settings.parseMemory().toMegabytes()
                    + " MB of memory a file may use; it may be a compressed file that unpacks to far more "
                    + "than its size.");
        }
        return new UnreadableFile("The file reader stopped unexpectedly (exit code " + exit + ").");
    }

    private ParserProcess take() {
        ParserProcess process;
        synchronized (idle) {
            process = idle.pollFirst();
            while (process != null && !process.alive()) {
                process.close();
                process = idle.pollFirst();
            }
        }
        if (process == null) {
            try {
                process = ParserProcess.start(settings.parseMemory());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start a parser process", e);
            }
        }
        busy.add(process);
        return process;
    }

    private void giveBack(ParserProcess process) {
        if (!process.alive()) {
            return;
        }
        process.used();
        synchronized (idle) {
            idle.addFirst(process); // the most recently used first, so the others can go idle and be let go
        }
    }

    private void letIdleGo() {
        synchronized (idle) {
            idle.removeIf(process -> {
                boolean stale = !process.alive() || process.idleNanos() > KEEP_IDLE.toNanos();
                if (stale) {
                    process.close();
                }
                return stale;
            });
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
        synchronized (idle) {
            idle.forEach(ParserProcess::close);
            idle.clear();
        }
        busy.forEach(ParserProcess::kill);
    }
}
