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
 * never wait for it.
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
        long every = settings.checkpointInterval().toMillis();
        timer.scheduleWithFixedDelay(this::writeAll, every, every, TimeUnit.MILLISECONDS);
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
