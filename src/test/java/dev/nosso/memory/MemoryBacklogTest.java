package dev.nosso.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import dev.nosso.support.ServerTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * One user's memory backlog does not hold up another user's upload: a backlog is one queue of messages and
 * one job at a time, indexed a batch per job, and a file someone waits for is claimed before any of it.
 */
class MemoryBacklogTest extends ServerTest {

    private static final int BACKLOG = 2_000;

    @Test
    void anotherUsersSmallFileIsReadyWhileAThousandsOfMessagesBacklogStillWaits() throws Exception {
        ApiClient alice = server.newUser();
        ApiClient bob = server.newUser();
        String chat = alice.post("/api/v1/chats", Map.of("title", "Load test")).expect(201).text("/id");
        // As a load test leaves it: thousands of finished messages waiting for memory, written straight to the
        // database, then one more sent through the API, which queues the owner's job.
        UUID owner = backlog(UUID.fromString(chat));
        alice.post("/api/v1/chats/" + chat + "/messages", Map.of("role", "assistant", "content", "And one more."))
                .expect(201);
        Eventually.within(Duration.ofSeconds(30)).alias("alice's backlog is being indexed")
                .until(() -> count("SELECT COUNT(*) FROM jobs WHERE user_id = ? AND state = 'running'", owner) == 1);

        String file = bob.upload("/api/v1/files", "note.txt", "text/plain",
                "Bob's note: the boiler code is 4417.".getBytes(StandardCharsets.UTF_8), Map.of()).expect(201)
                .text("/id");
        JsonNode ready = Eventually.within(Duration.ofSeconds(30)).alias("bob's file is ready")
                .until(() -> bob.get("/api/v1/files/" + file).expect(200).json(),
                        f -> f.path("status").asString().equals("ready"));

        assertThat(ready.path("status").asString()).isEqualTo("ready");
        long waiting = count("SELECT COUNT(*) FROM memory_queue WHERE user_id = ?", owner);
        assertThat(waiting).as("alice's messages still waiting when bob's file is ready").isGreaterThan(BACKLOG / 2);
        // One job at a time for the whole backlog, each taking a batch: never thousands of rows in the queue.
        assertThat(count("SELECT COUNT(*) FROM jobs WHERE user_id = ? AND state IN ('queued', 'running')", owner))
                .isBetween(1L, 2L);
        Eventually.within(Duration.ofSeconds(60)).alias("alice's first batches are done")
                .until(() -> count("SELECT COUNT(*) FROM memory_queue WHERE user_id = ?", owner)
                        <= BACKLOG + 1 - RememberMessages.BATCH);
    }

    /** Writes {@link #BACKLOG} finished messages into the chat, each queued for memory; returns the chat's owner. */
    private UUID backlog(UUID chatId) throws Exception {
        try (Connection c = database.connect()) {
            c.setAutoCommit(false);
            UUID owner;
            try (PreparedStatement ps = c.prepareStatement("SELECT user_id FROM chats WHERE id = ?")) {
                ps.setObject(1, id(chatId));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    owner = UUID.fromString(rs.getString(1));
                }
            }
            long now = System.currentTimeMillis();
            try (PreparedStatement message = c.prepareStatement("""
                    INSERT INTO messages (id, chat_id, parent_id, depth, role, content, status, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'complete', ?, ?)
                    """);
                 PreparedStatement queued = c.prepareStatement(
                         "INSERT INTO memory_queue (message_id, user_id, queued_at) VALUES (?, ?, ?)")) {
                UUID parent = null;
                for (int i = 0; i < BACKLOG; i++) {
                    UUID id = new UUID(now << 16 | 0x7000, i + 1L);
                    message.setObject(1, id(id));
                    message.setObject(2, id(chatId));
                    message.setObject(3, parent == null ? null : id(parent));
                    message.setInt(4, i);
                    message.setString(5, i % 2 == 0 ? "user" : "assistant");
                    message.setString(6, "Load test message " + i + ": the numbers today were " + (i * 7919 % 1000));
                    message.setLong(7, now);
                    message.setLong(8, now);
                    message.addBatch();
                    queued.setObject(1, id(id));
                    queued.setObject(2, id(owner));
                    queued.setLong(3, now + i);
                    queued.addBatch();
                    parent = id;
                }
                message.executeBatch();
                queued.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE chats SET active_leaf_id = ?, message_count = ? WHERE id = ?")) {
                ps.setObject(1, id(new UUID(now << 16 | 0x7000, BACKLOG)));
                ps.setInt(2, BACKLOG);
                ps.setObject(3, id(chatId));
                ps.executeUpdate();
            }
            c.commit();
            return owner;
        }
    }

    private Object id(UUID id) {
        return dialect == Dialect.POSTGRESQL ? id : id.toString();
    }

    private long count(String sql, UUID owner) throws Exception {
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id(owner));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
