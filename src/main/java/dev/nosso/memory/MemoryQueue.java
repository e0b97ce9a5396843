package dev.nosso.memory;

import dev.nosso.platform.Rows;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Messages waiting to be remembered, one row each, oldest first per owner. A row is written in the transaction
 * that finishes or edits its message (so a crash cannot lose it) and removed once its message is indexed; it
 * goes with its message when that is deleted.
 */
@Repository
class MemoryQueue {

    // Queued again (an edit while it waited or was being indexed): its time moves on, at least by one, so the
    // job that read the older time leaves the row for the next pass. A message deleted meanwhile (a question
    // whose answer ends after the user deleted both) is not queued at all.
    private static final String ADD = """
            INSERT INTO memory_queue (message_id, user_id, queued_at)
            SELECT :messageId, :owner, :now WHERE EXISTS (SELECT 1 FROM messages m WHERE m.id = :messageId)
            ON CONFLICT (message_id) DO UPDATE SET queued_at = CASE
                WHEN excluded.queued_at > memory_queue.queued_at THEN excluded.queued_at
                ELSE memory_queue.queued_at + 1 END
            """;

    private static final String NEXT = """
            SELECT message_id, queued_at FROM memory_queue WHERE user_id = :owner
             ORDER BY queued_at, message_id LIMIT :limit
            """;

    private static final String REMOVE = """
            DELETE FROM memory_queue WHERE message_id = :messageId AND user_id = :owner AND queued_at = :queuedAt
            """;

    private final JdbcClient jdbc;

    MemoryQueue(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A message as the queue held it when a job read it. */
    record Queued(UUID messageId, long queuedAt) {
    }

    void add(UUID owner, UUID messageId, Instant now) {
        jdbc.sql(ADD).param("messageId", messageId).param("owner", owner).param("now", now.toEpochMilli()).update();
    }

    List<Queued> next(UUID owner, int limit) {
        return jdbc.sql(NEXT).param("owner", owner).param("limit", limit)
                .query((rs, row) -> new Queued(Rows.uuid(rs, "message_id"), rs.getLong("queued_at"))).list();
    }

    /** Removes the rows read, unless they were queued again since. */
    void remove(UUID owner, List<Queued> done) {
        for (Queued q : done) {
            jdbc.sql(REMOVE).param("messageId", q.messageId()).param("owner", owner).param("queuedAt", q.queuedAt())
                    .update();
        }
    }

    boolean any(UUID owner) {
        return !jdbc.sql("SELECT message_id FROM memory_queue WHERE user_id = :owner LIMIT 1").param("owner", owner)
                .query((rs, row) -> rs.getString(1)).list().isEmpty();
    }

    /** Empties the owner's queue: their memory is off. */
    void clear(UUID owner) {
        jdbc.sql("DELETE FROM memory_queue WHERE user_id = :owner").param("owner", owner).update();
    }
}
