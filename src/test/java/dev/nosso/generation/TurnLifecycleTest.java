package dev.nosso.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.Eventually;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import dev.nosso.support.SseStream;
import dev.nosso.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What happens around answers: titles for new chats, and a server that stops while an answer streams. */
class TurnLifecycleTest extends ServerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ScriptedUpstream upstream = ScriptedUpstream.start();

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString());
    }

    @AfterAll
    void stopUpstream() {
        upstream.close();
    }

    @Test
    void aNewChatIsNamedByItsModelAfterTheFirstAnswerButANamedOneIsNot() throws Exception {
        upstream.reset();
        upstream.models("m1");
        upstream.replyOnce("m1", Script.tokens("Lisbon has ", "great food."));
        upstream.replyOnce("m1", Script.tokens("\"Eating ", "in Lisbon\"."));
        ApiClient alice = server.newUser();
        String chat = alice.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        Response sent = alice.post("/api/v1/chats/" + chat + "/messages",
                Map.of("content", "Where to eat in Lisbon?", "model", "m1")).expect(202);
        try (SseStream stream = alice.stream(sent.text("/streamUrl"))) {
            stream.untilEnd(WAIT);
        }
        JsonNode titled = Eventually.within(WAIT).until(() -> alice.get("/api/v1/chats/" + chat).expect(200).json(),
                c -> !c.path("title").asString().equals("New chat"));
        assertThat(titled.path("title").asString()).isEqualTo("Eating in Lisbon");
        JsonNode titleRequest = upstream.lastChat().json();
        assertThat(titleRequest.at("/messages/1/content").asString()).contains("Where to eat in Lisbon?",
                "Lisbon has great food.");

        String named = alice.post("/api/v1/chats", Map.of("title", "My own title")).expect(201).text("/id");
        Response again = alice.post("/api/v1/chats/" + named + "/messages",
                Map.of("content", "Hello", "model", "m1")).expect(202);
        try (SseStream stream = alice.stream(again.text("/streamUrl"))) {
            stream.untilEnd(WAIT);
        }
        // That no title is asked for only time can show: the user's title holds for 300 ms after the answer.
        Eventually.within(Duration.ofSeconds(2)).during(Duration.ofMillis(300))
                .until(() -> alice.get("/api/v1/chats/" + named).expect(200).text("/title").equals("My own title"));
        assertThat(upstream.requests("/v1/chat/completions")).hasSize(3); // two answers, one title
    }

    @Test
    void aServerThatStopsMidAnswerStoresItsTextAsInterrupted() {
        upstream.reset();
        upstream.models("m1");
        Script.Gate gate = new Script.Gate();
        upstream.reply("m1", Script.tokens("kept ", "text ", "lost").holdAfter(2, gate));
        ApiClient alice = server.newUser();
        String email = alice.get("/api/v1/auth/me").expect(200).text("/email");
        String chat = alice.post("/api/v1/chats", Map.of("title", "stopping")).expect(201).text("/id");
        Response sent = alice.post("/api/v1/chats/" + chat + "/messages", Map.of("content", "Go", "model", "m1"))
                .expect(202);
        String answer = sent.text("/assistantMessage/id");
        List<SseStream.Event> events;
        try (SseStream stream = alice.stream(sent.text("/streamUrl"))) {
            gate.awaitReached(WAIT);
            stream.deltasUntil("kept text ".length(), WAIT);
            server = server.restart(settings()); // a graceful stop: the open stream must not hold it up
            events = stream.untilEnd(WAIT);
        } finally {
            gate.release();
        }
        assertThat(events.getLast().data().path("status").asString()).isEqualTo("interrupted");
        ApiClient again = server.anonymous().login(email, TestServer.PASSWORD);
        JsonNode stored = again.get("/api/v1/messages/" + answer).expect(200).json();
        assertThat(stored.path("status").asString()).isEqualTo("interrupted");
        assertThat(stored.path("content").asString()).isEqualTo("kept text ");
    }
}
