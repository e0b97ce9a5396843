package dev.nosso.generation;

import dev.nosso.chat.Checkpoint;
import dev.nosso.chat.Messages;
import dev.nosso.platform.DatabaseOutage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Writes the text of every running answer that grew since the last time, on one timer, in one write: a
 * thousand streams cost one transaction a second, not one per token or per stream. The generating threads
 * never wait for it. Timed so that a crash loses at most the checkpoint interval of text ({@link #tick}).
 */
@Component
class Checkpoints implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);

    private final StreamHub hub;
    private final Messages messages;
    private final GenerationSettings settings;
    private final DatabaseOutage outage;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("checkpoints").daemon().factory());

    Checkpoints(StreamHub hub, Messages messages, GenerationSettings settings, DatabaseOutage outage) {
        this.outage = outage;
        this.hub = hub;
        this.messages = messages;
        this.settings = settings;
    }

    @Override
    public void afterPropertiesSet() {
        timer.schedule(this::tick, settings.checkpointInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Writes, then schedules the next write so that the next checkpoint is <em>stored</em> within the interval
     * of this one's snapshot: a crash loses the text since the last stored snapshot, which is the interval
     * between two snapshots plus the time the second one takes to commit. A fixed delay after each write (as
     * before) made that the interval plus two writes' time, and on SQLite a checkpoint waits for the single
     * writer, behind an ingestion's group of chunk inserts, so a crash could cost more than the interval (270
     * characters at 250 a second once in the crash loop). So the next snapshot is taken early by as much as
     * this write took (its best guess of the next), and never sooner than a tenth of the interval after it.
     */
    private void tick() {
        long interval = settings.checkpointInterval().toNanos();
        long started = System.nanoTime();
        try {
            writeAll();
        } finally {
            long took = System.nanoTime() - started;
            long next = Math.max(interval / 10, interval - 2 * took);
            try {
                timer.schedule(this::tick, next, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // shutting down
            }
        }
    }

    void writeAll() {
        try {
            List<Checkpoint> batch = new ArrayList<>();
            List<LiveAnswer> answers = new ArrayList<>();
            for (LiveAnswer live : hub.all()) {
                String text = live.uncheckpointed();
                if (text != null) {
                    batch.add(new Checkpoint(live.messageId(), text));
                    answers.add(live);
                }
            }
            if (batch.isEmpty()) {
                return;
            }
            Set<UUID> missed = new HashSet<>(messages.checkpoint(batch));
            for (int i = 0; i < batch.size(); i++) {
                LiveAnswer live = answers.get(i);
                if (missed.contains(live.messageId())) {
                    // Deleted while it streams (an ended answer would not be in this batch): nobody can
                    // read the rest, so the model stops writing it.
                    if (live.finished() == null) {
                        live.cancellation().cancel();
                    }
                } else {
                    live.checkpointed(batch.get(i).content().length());
                }
            }
        } catch (RuntimeException e) {
            if (!outage.noted(e, "A checkpoint")) {
                log.warn("Checkpoint failed; the next one writes the same text again", e);
            }
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
