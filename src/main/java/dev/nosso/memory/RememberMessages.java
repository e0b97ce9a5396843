package dev.nosso.memory;

import dev.nosso.identity.Preferences;
import dev.nosso.platform.Reads;
import dev.nosso.platform.Writes;
import dev.nosso.platform.jobs.JobHandler;
import dev.nosso.platform.jobs.Jobs;
import dev.nosso.platform.jobs.RunningJob;
import dev.nosso.retrieval.Indexer;
import dev.nosso.retrieval.SourceKind;
import dev.nosso.retrieval.SourceText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The {@code remember-messages} job: indexes the next {@value #BATCH} messages of its owner's
 * {@link MemoryQueue}, their passages embedded together, and queues the owner's next job if more wait. A job
 * does one batch and ends, so that an owner with a backlog of thousands takes turns at the workers with
 * everyone else instead of holding one for an hour.
 *
 * <p>Each message is read when the batch runs (so a message queued before an edit is indexed with its edited
 * text) and again after embedding: one deleted meanwhile, or whose owner turned memory off, loses the chunks
 * just written; one edited meanwhile stays queued (its row's time moved on) and is indexed again by the next
 * job. Running a batch again replaces the same chunks, so a job cut short by a crash is safe to repeat.
 */
@Component
class RememberMessages implements JobHandler {

    /** Messages per job: a few seconds of the in-process model for the messages of a chat. */
    static final int BATCH = 64;

    private final MemoryQueue queue;
    private final RememberableMessages messages;
    private final Indexer indexer;
    // Lazily, as preferences: Jobs gathers its handlers, this one included, when it is built.
    private final ObjectProvider<Jobs> jobs;
    private final Writes writes;
    private final Reads reads;
    // Lazily: Preferences queues jobs, and Jobs gathers its handlers, this one included, when it is built.
    private final ObjectProvider<Preferences> preferences;

    RememberMessages(MemoryQueue queue, RememberableMessages messages, Indexer indexer, ObjectProvider<Jobs> jobs, Writes writes,
                     Reads reads, ObjectProvider<Preferences> preferences) {
        this.queue = queue;
        this.messages = messages;
        this.indexer = indexer;
        this.jobs = jobs;
        this.writes = writes;
        this.reads = reads;
        this.preferences = preferences;
    }

    @Override
    public String kind() {
        return MessageMemory.REMEMBER_MESSAGES;
    }

    @Override
    public void run(RunningJob job) {
        UUID owner = job.owner();
        if (owner == null) {
            return;
        }
        if (!memoryOn(owner)) {
            writes.run(() -> {
                queue.clear(owner); // turned back on later, reindex-memory goes through every message anyway
                return null;
            });
            return;
        }
        List<MemoryQueue.Queued> batch = reads.run(() -> queue.next(owner, BATCH));
        if (batch.isEmpty()) {
            return;
        }
        remember(owner, batch.stream().map(MemoryQueue.Queued::messageId).toList(), job::progress);
        writes.run(() -> {
            queue.remove(owner, batch);
            if (queue.any(owner)) {
                jobs.getObject().enqueueUnlessQueued(owner, kind(), "{}");
            }
            return null;
        });
    }

    /**
     * Indexes these messages of the owner as memory, all at once, as they are now: final ones with text are
     * indexed, blank ones forgotten, and unfinished or missing ones left alone (finishing an answer queues it).
     * Reports progress as (passages embedded, total).
     */
    void remember(UUID owner, List<UUID> messageIds, BiConsumer<Integer, Integer> progress) {
        Map<UUID, RememberedMessage> found = current(owner, messageIds);
        List<SourceText> texts = new ArrayList<>();
        List<UUID> blank = new ArrayList<>();
        for (UUID id : messageIds) {
            RememberedMessage message = found.get(id);
            if (message == null || !message.finished()) {
                continue;
            }
            if (message.content().isBlank()) {
                blank.add(id); // edited down to nothing
            } else {
                texts.add(new SourceText(owner, SourceKind.MESSAGE, id, message.chatTitle(), message.chatId(),
                        message.content()));
            }
        }
        indexer.forget(owner, SourceKind.MESSAGE, blank);
        if (texts.isEmpty()) {
            return;
        }
        indexer.indexAll(texts, progress);
        // Deleted, or memory turned off, while they were being embedded: the chunks just written belong to nothing.
        Map<UUID, RememberedMessage> after = current(owner, texts.stream().map(SourceText::sourceId).toList());
        indexer.forget(owner, SourceKind.MESSAGE,
                texts.stream().map(SourceText::sourceId).filter(id -> !after.containsKey(id)).toList());
    }

    /** Those of the messages that still exist, while the owner's memory is on. */
    private Map<UUID, RememberedMessage> current(UUID owner, Collection<UUID> messageIds) {
        if (!memoryOn(owner)) {
            return Map.of();
        }
        return reads.run(() -> messages.remembered(owner, messageIds));
    }

    private boolean memoryOn(UUID owner) {
        return preferences.getObject().of(owner).memory();
    }
}
