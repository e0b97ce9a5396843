package dev.nosso.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import dev.nosso.support.ServerTest;
import dev.nosso.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A long conversation is imported a bounded batch of messages per transaction: its messages appear while the
 * job still runs, and a server stopped in the middle of it leaves whole batches, which the resumed job goes on
 * from, with no message twice and the same tree as the file.
 */
class LargeImportTest extends ServerTest {

    private static final int MESSAGES = 4_000;
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Map<String, Object> SETTINGS = Map.of("nosso.imports.batch", "20", "nosso.jobs.lease", "2s");

    @Override
    protected Map<String, Object> settings() {
        return SETTINGS;
    }

    @Test
    void aLongConversationCommitsInBatchesAndAnImportStoppedInTheMiddleResumesWithoutDuplicates() {
        ApiClient alice = server.newUser();
        alice.patch("/api/v1/preferences", Map.of("memory", false)).expect(200); // no embedding work beside it
        String email = alice.get("/api/v1/auth/me").expect(200).text("/email");
        UUID owner = UUID.fromString(alice.get("/api/v1/auth/me").expect(200).text("/id"));

        String id = alice.upload("/api/v1/imports", "long.json", "application/json", export(), Map.of())
                .expect(202).text("/id");
        long seen = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (seen == 0 && System.nanoTime() < deadline) {
            seen = messages(owner); // as soon as the first batches are committed
        }
        assertThat(seen).as("messages committed while the import still ran").isBetween(1L, MESSAGES - 1L);

        server = server.restart(SETTINGS); // most likely in the middle of the conversation

        ApiClient again = server.anonymous().login(email, TestServer.PASSWORD);
        JsonNode done = Eventually.within(WAIT).until(() -> again.get("/api/v1/imports/" + id).expect(200).json(),
                imported -> imported.path("status").asString().equals("done"));
        assertThat(done.path("status").asString()).isEqualTo("done");
        assertThat(messages(owner)).isEqualTo(MESSAGES);
        JsonNode chat = Transfers.chatsByTitle(again).get("A very long talk");
        assertThat(chat.path("messageCount").asInt()).isEqualTo(MESSAGES);
        List<String> shown = new ArrayList<>();
        again.get("/api/v1/chats/" + chat.path("id").asString() + "/messages?limit=3").expect(200).at("/items")
                .forEach(m -> shown.add(m.path("content").asString()));
        assertThat(shown).containsExactly("message " + (MESSAGES - 4), "message " + (MESSAGES - 3),
                "message " + (MESSAGES - 1)); // the shown leaf: the last message, a sibling of the one before it
        assertThat(Transfers.importAndWait(again, "long.json", export()).at("/report/messagesImported").asInt())
                .isZero();
        assertThat(messages(owner)).isEqualTo(MESSAGES);
    }

    /**
     * A Nosso export of one chat: a chain of {@code MESSAGES - 1} messages, and the last one a sibling of the one
     * before it (a second branch), shown.
     */
    private static byte[] export() {
        Map<String, Object> chat = new LinkedHashMap<>();
        chat.put("id", "4a0d2f6e-0000-7000-8000-000000000001");
        chat.put("title", "A very long talk");
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        chat.put("createdAt", start.toString());
        chat.put("updatedAt", start.plusSeconds(MESSAGES).toString());
        List<Map<String, Object>> messages = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", "m" + i);
            m.put("parentId", i == 0 ? null : "m" + (i == MESSAGES - 1 ? i - 2 : i - 1));
            m.put("role", i % 2 == 0 ? "user" : "assistant");
            m.put("content", "message " + i);
            m.put("status", "complete");
            m.put("createdAt", start.plusSeconds(i).toString());
            messages.add(m);
        }
        chat.put("activeLeafId", "m" + (MESSAGES - 1));
        chat.put("messages", messages);
        Map<String, Object> file = new LinkedHashMap<>(); // format first: it tells a reader what the file is
        file.put("format", "nosso.chats");
        file.put("version", 1);
        file.put("chats", List.of(chat));
        return JsonMapper.builder().build().writeValueAsString(file).getBytes(StandardCharsets.UTF_8);
    }

    private long messages(UUID owner) {
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM messages m JOIN chats ch ON ch.id = m.chat_id WHERE ch.user_id = ?")) {
            ps.setObject(1, dialect == Dialect.POSTGRESQL ? owner : owner.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
