package dev.nosso.memory;

import dev.nosso.identity.Preferences;
import dev.nosso.platform.Writes;
import dev.nosso.platform.jobs.JobHandler;
import dev.nosso.platform.jobs.RunningJob;
import dev.nosso.retrieval.Indexer;
import dev.nosso.retrieval.SourceKind;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The {@code forget-memory} job, queued by {@link Preferences} when a user turns memory off: deletes all of
 * that user's message chunks. Here rather than in {@code identity}, which may not depend on {@code retrieval}.
 */
@Component
class ForgetMemory implements JobHandler {

    private final Indexer indexer;
    private final ObjectProvider<Preferences> preferences;
    private final Writes writes;
    private final MemoryQueue queue;

    ForgetMemory(Indexer indexer, ObjectProvider<Preferences> preferences, Writes writes, MemoryQueue queue) {
        this.queue = queue;
        this.indexer = indexer;
        this.preferences = preferences;
        this.writes = writes;
    }

    @Override
    public String kind() {
        return Preferences.FORGET_MEMORY;
    }

    @Override
    public void run(RunningJob job) {
        // Turned back on before this ran: the reindex-memory job queued then rebuilds the same chunks, so
        // deleting them now would only race it. The check and the delete share one transaction, so a quick
        // off-and-on cannot slip between them and leave memory on with nothing in it.
        if (job.owner() == null) {
            return;
        }
        writes.run(() -> {
            if (!preferences.getObject().of(job.owner()).memory()) {
                indexer.forgetAll(job.owner(), SourceKind.MESSAGE);
                queue.clear(job.owner());
            }
            return null;
        });
    }
}
