package dev.nosso.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import dev.nosso.support.SseStream;
import dev.nosso.support.SseStream.Event;
import dev.nosso.support.TestServer;
import java.time.Duration;
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

    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private ApiClient admin;

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                "nosso.generation.titles", "false");
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
}
