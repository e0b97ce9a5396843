package dev.nosso.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import dev.nosso.support.SseStream;
import dev.nosso.support.SseStream.Event;
import dev.nosso.support.TestServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

/**
 * An administrator suspends a user whose answer is streaming from a slow provider: the user's open stream
 * closes within moments, not at the answer's end, and the answer ends cancelled with the text it had, on
 * both databases. (Across nodes: {@code SuspendedStreamAcrossNodesTest}.)
 */
class SuspendedStreamTest extends ServerTest {

    private static final Duration PROMPTLY = Duration.ofSeconds(2);
    private static final Duration ACCESS_CHECK = Duration.ofMillis(500);

    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private ApiClient admin;

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                "nosso.generation.titles", "false",
                "nosso.generation.access-check", ACCESS_CHECK.toMillis() + "ms");
    }

    @BeforeParameterizedClassInvocation
    void signIn() {
        upstream.models("slow");
        upstream.reply("slow", Script.repeat("word ", 500).delay(Duration.ofMillis(20))); // about 10 s
        admin = server.admin();
    }

    @AfterAll
    void stopUpstream() {
        upstream.close();
    }

    @Test
    void suspendingAUserClosesTheirOpenStreamAndKeepsTheAnswersText() {
        ApiClient user = server.newUser();
        String email = user.get("/api/v1/auth/me").expect(200).text("/email");
        String userId = user.get("/api/v1/auth/me").text("/id");
        String chat = user.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        var sent = user.post("/api/v1/chats/" + chat + "/messages", Map.of("content", "talk", "model", "slow"))
                .expect(202);
        String answerId = sent.text("/assistantMessage/id");

        List<Event> ended;
        long took;
        try (SseStream stream = user.stream(sent.text("/streamUrl"))) {
            stream.deltasUntil(50, Duration.ofSeconds(10));
            long suspended = System.nanoTime();
            admin.patch("/api/v1/admin/users/" + userId, Map.of("status", "suspended")).expect(200);
            ended = stream.untilClosed(PROMPTLY);
            took = (System.nanoTime() - suspended) / 1_000_000;
        }

        assertThat(took).isLessThan(PROMPTLY.toMillis());
        Event last = ended.getLast();
        assertThat(last.name()).isEqualTo("done");
        assertThat(last.data().path("status").asString()).isEqualTo("cancelled");
        String text = last.data().path("content").asString();
        assertThat(text).startsWith("word word");

        admin.patch("/api/v1/admin/users/" + userId, Map.of("status", "active")).expect(200);
        ApiClient back = server.anonymous().login(email, TestServer.PASSWORD);
        var stored = back.get("/api/v1/messages/" + answerId).expect(200);
        assertThat(stored.text("/status")).isEqualTo("cancelled");
        assertThat(stored.text("/content")).isEqualTo(text);
    }

    /**
     * The suspension is made in the database by hand, so no node hears of it (as when a node misses the event):
     * the periodic check of the running answers' owners stops the answer all the same, long before its end
     * (about 10 s away), and it ends cancelled with the text it had.
     */
    @Test
    void aSuspensionNoNodeHeardOfStillClosesTheUsersStreamAtTheNextCheck() throws Exception {
        ApiClient user = server.newUser();
        String userId = user.get("/api/v1/auth/me").expect(200).text("/id");
        String chat = user.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        var sent = user.post("/api/v1/chats/" + chat + "/messages", Map.of("content", "talk", "model", "slow"))
                .expect(202);

        List<Event> ended;
        try (SseStream stream = user.stream(sent.text("/streamUrl"))) {
            stream.deltasUntil(50, Duration.ofSeconds(10));
            suspendByHand(UUID.fromString(userId));
            ended = stream.untilClosed(ACCESS_CHECK.plus(PROMPTLY));
        }

        Event last = ended.getLast();
        assertThat(last.name()).isEqualTo("done");
        assertThat(last.data().path("status").asString()).isEqualTo("cancelled");
        assertThat(last.data().path("content").asString()).startsWith("word word");
        assertThat(storedStatus(UUID.fromString(sent.text("/assistantMessage/id")))).isEqualTo("cancelled");
    }

    private String storedStatus(UUID messageId) throws Exception {
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("SELECT status FROM messages WHERE id = ?")) {
            bind(ps, messageId);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private void bind(PreparedStatement ps, UUID id) throws Exception {
        if (dialect == Dialect.POSTGRESQL) {
            ps.setObject(1, id);
        } else {
            ps.setString(1, id.toString());
        }
    }

    private void suspendByHand(UUID userId) throws Exception {
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("UPDATE users SET status = 'suspended' WHERE id = ?")) {
            bind(ps, userId);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }
}
