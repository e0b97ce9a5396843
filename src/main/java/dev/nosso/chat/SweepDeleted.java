package dev.nosso.chat;

import dev.nosso.memory.MessageMemory;
import dev.nosso.platform.Limits;
import dev.nosso.platform.Reads;
import dev.nosso.platform.Writes;
import dev.nosso.platform.jobs.JobHandler;
import dev.nosso.platform.jobs.RunningJob;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The {@code sweep-deleted} job, one per owner: removes what a delete has already hidden from every read, the
 * hidden subtrees' messages and the deleted chats, {@link Limits#deleteBatch()} messages per write (with their
 * memory), the deepest first, so that SQLite's one writer is never held for long and other users' writes go on
 * between the batches. It is queued in the transaction that hides, so it survives a restart; run again, it
 * starts from what is left. Memory is looked up when a job runs: it queues jobs itself, and the queue builds
 * its handlers (this one) when it starts.
 */
@Component
class SweepDeleted implements JobHandler {

    static final String KIND = "sweep-deleted";

    private final MessageRepository messages;
    private final ChatRepository chats;
    private final ObjectProvider<MessageMemory> memory;
    private final Writes writes;
    private final Reads reads;
    private final Limits limits;
    private final Clock clock;

    SweepDeleted(MessageRepository messages, ChatRepository chats, ObjectProvider<MessageMemory> memory, Writes writes, Reads reads,
                 Limits limits, Clock clock) {
        this.messages = messages;
        this.chats = chats;
        this.memory = memory;
        this.writes = writes;
        this.reads = reads;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void run(RunningJob job) {
        UUID owner = job.owner();
        if (owner == null) {
            return;
        }
        for (UUID chatId : reads.run(() -> messages.chatsWithHidden(owner))) {
            sweepSubtrees(owner, chatId);
        }
        for (UUID chatId : reads.run(() -> chats.deleted(owner))) {
            sweepChat(owner, chatId);
        }
    }

    // A shutdown interrupts the worker: the job ends here with the flag still set, and the runner hands it back
    // to the queue, so the next start goes on from the next batch.
    private static boolean stopping() {
        return Thread.currentThread().isInterrupted();
    }

    /** Deletes the chat's hidden messages; the chat's count already left them out when they were hidden. */
    private void sweepSubtrees(UUID owner, UUID chatId) {
        while (!stopping()) {
            List<UUID> ids = reads.run(() -> messages.hiddenDeepestFirst(chatId, limits.deleteBatch()));
            if (ids.isEmpty()) {
                return;
            }
            int deleted = writes.run(() -> {
                int n = messages.deleteAll(chatId, ids);
                memory.getObject().forget(owner, ids);
                return n;
            });
            if (deleted < ids.size()) {
                // Some kept a child that is not hidden: appended under them after they were hidden.
                int caught = writes.run(() -> {
                    int n = messages.hideStragglers(chatId);
                    messages.afterDelete(owner, chatId, n, clock.instant());
                    return n;
                });
                if (deleted == 0 && caught == 0) {
                    throw new IllegalStateException("hidden messages of chat " + chatId + " cannot be deleted yet");
                }
            }
        }
    }

    /** Deletes a deleted chat's messages a batch at a time, then its row. */
    private void sweepChat(UUID owner, UUID chatId) {
        int stuck = 0;
        while (!stopping()) {
            List<UUID> ids = reads.run(() -> messages.deepestFirst(chatId, limits.deleteBatch()));
            if (ids.isEmpty()) {
                writes.run(() -> {
                    chats.purge(owner, chatId);
                    memory.getObject().forgetChat(owner, chatId);
                    return null;
                });
                return;
            }
            int deleted = writes.run(() -> {
                int n = messages.deleteAll(chatId, ids);
                memory.getObject().forget(owner, ids);
                return n;
            });
            // None deleted twice running: something keeps them (a race with an append); the job is tried again.
            stuck = deleted == 0 ? stuck + 1 : 0;
            if (stuck > 1) {
                throw new IllegalStateException("messages of deleted chat " + chatId + " cannot be deleted yet");
            }
        }
    }
}
