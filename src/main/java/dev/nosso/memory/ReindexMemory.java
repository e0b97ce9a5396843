package dev.nosso.memory;

import dev.nosso.identity.Preferences;
import dev.nosso.platform.jobs.JobHandler;
import dev.nosso.platform.jobs.RunningJob;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The {@code reindex-memory} job, queued by {@link Preferences} when a user turns memory back on: indexes every
 * final message of theirs again, in id order, with progress (messages done, total). It stops as soon as memory
 * is off again. Running it again (after a crash) starts over and replaces the same chunks, so it is safe to
 * repeat.
 */
@Component
class ReindexMemory implements JobHandler {

    private static final int PAGE = RememberMessages.BATCH;
    private static final UUID FIRST = new UUID(0, 0);

    private final RememberableMessages messages;
    private final RememberMessages remembering;
    private final ObjectProvider<Preferences> preferences;

    ReindexMemory(RememberableMessages messages, RememberMessages remembering, ObjectProvider<Preferences> preferences) {
        this.messages = messages;
        this.remembering = remembering;
        this.preferences = preferences;
    }

    @Override
    public String kind() {
        return Preferences.REINDEX_MEMORY;
    }

    @Override
    public void run(RunningJob job) {
        UUID owner = job.owner();
        if (owner == null || !memoryOn(owner)) {
            return;
        }
        int total = messages.countRememberable(owner);
        int done = 0;
        job.progress(0, total);
        UUID after = FIRST;
        while (true) {
            List<UUID> page = messages.rememberable(owner, after, PAGE);
            if (page.isEmpty()) {
                return;
            }
            remembering.remember(owner, page, (d, t) -> { }); // a page's passages embedded together
            done += page.size();
            job.progress(Math.min(done, total), Math.max(done, total));
            after = page.getLast();
            if (!memoryOn(owner)) {
                return; // turned off meanwhile: the forget-memory job it queued deletes what was written
            }
        }
    }

    private boolean memoryOn(UUID owner) {
        return preferences.getObject().of(owner).memory();
    }
}
