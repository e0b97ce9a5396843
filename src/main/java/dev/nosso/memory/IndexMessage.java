package dev.nosso.memory;

import dev.nosso.identity.Preferences;
import dev.nosso.platform.jobs.JobFailure;
import dev.nosso.platform.jobs.JobHandler;
import dev.nosso.platform.jobs.RunningJob;
import dev.nosso.retrieval.Indexer;
import dev.nosso.retrieval.SourceKind;
import dev.nosso.retrieval.SourceText;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code index-message} job: chunks and embeds one finished message as the user's memory, named by its
 * chat's title. It reads the message when it runs (and again after embedding, in case it was edited
 * meanwhile), so a job queued before an edit indexes the edited text,
 * and it does nothing for a message deleted meanwhile, still being written, or whose owner turned memory
 * off. Running it again replaces the message's chunks, so it is safe to repeat.
 */
@Component
class IndexMessage implements JobHandler {

    // A message edited again and again while it is embedded is left to the last edit's job.
    private static final int MAX_REREADS = 3;

    private final RememberableMessages messages;
    private final Indexer indexer;
    // Lazily: Preferences queues jobs, and Jobs gathers its handlers, this one included, when it is built.
    private final ObjectProvider<Preferences> preferences;
    private final JsonMapper json;

    IndexMessage(RememberableMessages messages, Indexer indexer, ObjectProvider<Preferences> preferences,
                 JsonMapper json) {
        this.messages = messages;
        this.indexer = indexer;
        this.preferences = preferences;
        this.json = json;
    }

    @Override
    public String kind() {
        return MessageMemory.INDEX_MESSAGE;
    }

    @Override
    public void run(RunningJob job) {
        remember(job.owner(), messageId(job), job::progress);
    }

    /** Indexes one message as memory, or forgets it when it has no text left; see the class comment. */
    void remember(UUID owner, UUID messageId, BiConsumer<Integer, Integer> progress) {
        remember(owner, messageId, progress, 1);
    }

    private void remember(UUID owner, UUID messageId, BiConsumer<Integer, Integer> progress, int attempt) {
        Optional<RememberedMessage> found = current(owner, messageId);
        if (found.isEmpty()) {
            return;
        }
        RememberedMessage message = found.get();
        if (!message.finished()) {
            return; // finishing the answer queues another job
        }
        if (message.content().isBlank()) {
            indexer.forget(owner, SourceKind.MESSAGE, messageId); // edited down to nothing
            return;
        }
        indexer.index(new SourceText(owner, SourceKind.MESSAGE, messageId, message.chatTitle(), message.chatId(),
                message.content()), progress);
        Optional<RememberedMessage> after = current(owner, messageId);
        if (after.isEmpty()) {
            // Deleted, or memory turned off, while it was being embedded: the chunks just written belong to
            // nothing.
            indexer.forget(owner, SourceKind.MESSAGE, messageId);
        } else if (!after.get().content().equals(message.content()) && attempt < MAX_REREADS) {
            // Edited while it was being embedded. The edit's own job may have finished first, and this job's
            // older text has just replaced it: index again what the message says now.
            remember(owner, messageId, progress, attempt + 1);
        }
    }

    /** The message, if it still exists and its owner's memory is on. */
    Optional<RememberedMessage> current(UUID owner, UUID messageId) {
        if (owner == null || !preferences.getObject().of(owner).memory()) {
            return Optional.empty();
        }
        return messages.remembered(owner, messageId);
    }

    private UUID messageId(RunningJob job) {
        try {
            return UUID.fromString(json.readTree(job.payload()).path("messageId").asString());
        } catch (RuntimeException e) {
            throw new JobFailure("The job's payload names no message: " + job.payload());
        }
    }
}
