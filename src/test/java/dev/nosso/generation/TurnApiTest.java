package dev.nosso.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.Eventually;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import dev.nosso.support.SseStream;
import dev.nosso.support.SseStream.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import tools.jackson.databind.JsonNode;

/**
 * Turns over real HTTP against a scripted upstream, on SQLite and on PostgreSQL: sending, streaming,
 * reattaching from an offset, several subscribers, cancelling, regenerating, upstream faults, the prompt
 * that was sent.
 */
class TurnApiTest extends ServerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    // Started with the instance, before the server, whose settings point at it.
    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private ApiClient alice;

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                "nosso.ollama.url", upstream.ollamaBaseUrl().toString(),
                "nosso.models.refresh-unknown-after", "0s", // a model a test adds upstream is found at once
                "nosso.models.idle-timeout", "1s",
                "nosso.generation.checkpoint-interval", "100ms",
                "nosso.generation.titles", "false");
    }

    @BeforeParameterizedClassInvocation
    void signIn() {
        alice = server.newUser();
    }

    @BeforeEach
    void freshUpstream() {
        upstream.reset();
        upstream.models("m1", "m2");
    }

    @AfterAll
    void stopUpstream() {
        upstream.close();
    }

    private String newChat() {
        return alice.post("/api/v1/chats", Map.of()).expect(201).text("/id");
    }

    private Response send(String chatId, String content, String model) {
        Map<String, Object> body = new HashMap<>();
        body.put("content", content);
        if (model != null) {
            body.put("model", model);
        }
        return alice.post("/api/v1/chats/" + chatId + "/messages", body);
    }

    private List<Event> follow(String streamUrl) {
        try (SseStream stream = alice.stream(streamUrl)) {
            return stream.untilEnd(WAIT);
        }
    }

    @Test
    void aUserMessageWithAModelIsAnsweredAndStreamed() {
        upstream.reply("m1", Script.tokens("Hello", ",", " Alice", "!").delay(Duration.ofMillis(10)).usage(12, 4));
        String chat = newChat();

        Response sent = send(chat, "Say hello", "m1").expect(202);

        assertThat(sent.text("/userMessage/role")).isEqualTo("user");
        assertThat(sent.text("/userMessage/content")).isEqualTo("Say hello");
        assertThat(sent.text("/assistantMessage/role")).isEqualTo("assistant");
        assertThat(sent.text("/assistantMessage/status")).isEqualTo("pending");
        assertThat(sent.text("/assistantMessage/parentId")).isEqualTo(sent.text("/userMessage/id"));
        assertThat(sent.text("/assistantMessage/model")).isEqualTo("m1");
        String answerId = sent.text("/assistantMessage/id");
        assertThat(sent.text("/streamUrl")).isEqualTo("/api/v1/messages/" + answerId + "/stream");

        List<Event> events = follow(sent.text("/streamUrl"));
        assertThat(SseStream.text(events)).isEqualTo("Hello, Alice!");
        Event done = events.getLast();
        assertThat(done.name()).isEqualTo("done");
        assertThat(done.offset()).isEqualTo("Hello, Alice!".length());
        assertThat(done.data().path("status").asString()).isEqualTo("complete");
        assertThat(done.data().path("content").asString()).isEqualTo("Hello, Alice!");
        assertThat(done.data().at("/usage/promptTokens").asInt()).isEqualTo(12);
        assertThat(done.data().at("/usage/completionTokens").asInt()).isEqualTo(4);
        assertThat(done.data().at("/usage/timeToFirstTokenMs").isNumber()).isTrue();
        assertThat(done.data().at("/usage/durationMs").isNumber()).isTrue();
        for (Event e : events.subList(0, events.size() - 1)) {
            assertThat(e.name()).isEqualTo("delta");
        }

        JsonNode stored = alice.get("/api/v1/messages/" + answerId).expect(200).json();
        assertThat(stored.path("status").asString()).isEqualTo("complete");
        assertThat(stored.path("content").asString()).isEqualTo("Hello, Alice!");
        assertThat(stored.at("/usage/completionTokens").asInt()).isEqualTo(4);
        JsonNode branch = alice.get("/api/v1/chats/" + chat + "/messages").expect(200).json();
        assertThat(branch.path("activeLeafId").asString()).isEqualTo(answerId);
        assertThat(branch.path("items").size()).isEqualTo(2);

        JsonNode request = upstream.lastChat().json();
        assertThat(request.path("model").asString()).isEqualTo("m1");
        assertThat(request.path("stream").asBoolean()).isTrue();
        assertThat(request.at("/messages/0/role").asString()).isEqualTo("user");
        assertThat(request.at("/messages/0/content").asString()).isEqualTo("Say hello");
    }

    @Test
    void aClientAcceptingAStreamGetsTheTurnAndTheAnswerInOneResponse() {
        upstream.reply("m1", Script.tokens("One", " request").delay(Duration.ofMillis(5)));
        String chat = newChat();
        List<Event> events;
        try (SseStream stream = alice.streamPost("/api/v1/chats/" + chat + "/messages",
                Map.of("content", "Just one?", "model", "m1"))) {
            events = stream.untilEnd(WAIT);
        }
        Event turn = events.getFirst();
        assertThat(turn.name()).isEqualTo("turn");
        assertThat(turn.offset()).isZero();
        assertThat(turn.data().at("/userMessage/content").asString()).isEqualTo("Just one?");
        String answerId = turn.data().at("/assistantMessage/id").asString();
        assertThat(turn.data().path("streamUrl").asString()).isEqualTo("/api/v1/messages/" + answerId + "/stream");
        assertThat(SseStream.text(events)).isEqualTo("One request");
        assertThat(events.getLast().name()).isEqualTo("done");
        assertThat(alice.get("/api/v1/messages/" + answerId).expect(200).text("/content")).isEqualTo("One request");
        // A message that is only stored still answers 201 with JSON, whatever the Accept.
        alice.send("POST", "/api/v1/chats/" + chat + "/messages", Map.of("role", "assistant", "content", "note"),
                "Accept", "text/event-stream, application/json").expect(201);
    }

    @Test
    void aProviderThatGivesNoFinishReasonStillEndsTheAnswerAndItsStream() {
        // Some OpenAI-compatible servers end a stream without a finish_reason: the answer is complete all the same.
        upstream.reply("m1", Script.tokens("No", " reason").finishReason(null));
        String chat = newChat();

        Response sent = send(chat, "Why?", "m1").expect(202);

        List<Event> events = follow(sent.text("/streamUrl"));
        assertThat(SseStream.text(events)).isEqualTo("No reason");
        assertThat(events.getLast().name()).isEqualTo("done");
        assertThat(events.getLast().data().path("status").asString()).isEqualTo("complete");
    }

    @Test
    void aFinishedAnswerReplaysWholeAndFromAnOffset() {
        upstream.reply("m1", Script.tokens("one ", "two ", "three"));
        String chat = newChat();
        Response sent = send(chat, "Count", "m1").expect(202);
        follow(sent.text("/streamUrl"));

        List<Event> whole = follow(sent.text("/streamUrl"));
        assertThat(SseStream.text(whole)).isEqualTo("one two three");
        assertThat(whole.getLast().name()).isEqualTo("done");

        try (SseStream rest = alice.stream(sent.text("/streamUrl"), "Last-Event-ID", "4")) {
            List<Event> events = rest.untilEnd(WAIT);
            assertThat(SseStream.text(events)).isEqualTo("two three");
            assertThat(events.getFirst().offset()).isEqualTo("one two three".length());
        }
        try (SseStream rest = alice.stream(sent.text("/streamUrl") + "?from=8")) {
            assertThat(SseStream.text(rest.untilEnd(WAIT))).isEqualTo("three");
        }
        try (SseStream none = alice.stream(sent.text("/streamUrl") + "?from=13")) {
            List<Event> events = none.untilEnd(WAIT);
            assertThat(events).hasSize(1);
            assertThat(events.getFirst().name()).isEqualTo("done");
        }
        alice.get(sent.text("/streamUrl") + "?from=14").expectProblem(400, "invalid-offset");
        alice.send("GET", sent.text("/streamUrl"), null, "Last-Event-ID", "abc").expectProblem(400, "invalid-offset");
    }

    @Test
    void aClientThatReattachesGetsExactlyTheMissingText() {
        Script.Gate gate = new Script.Gate();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tokens.add("t" + i + " ");
        }
        upstream.reply("m1", Script.tokens(tokens.toArray(String[]::new)).holdAfter(10, gate));
        String expected = String.join("", tokens);
        String chat = newChat();
        Response sent = send(chat, "Go", "m1").expect(202);
        String url = sent.text("/streamUrl");

        String firstPart;
        int lastId;
        try (SseStream first = alice.stream(url)) {
            gate.awaitReached(WAIT);
            List<Event> seen = first.deltasUntil(expected.indexOf("t10"), WAIT);
            firstPart = SseStream.text(seen);
            lastId = seen.getLast().offset();
        } // the page reloads here
        assertThat(lastId).isEqualTo(firstPart.length());

        try (SseStream second = alice.stream(url, "Last-Event-ID", String.valueOf(lastId));
             SseStream other = alice.stream(url)) {
            gate.release();
            String rest = SseStream.text(second.untilEnd(WAIT));
            assertThat(firstPart + rest).isEqualTo(expected);
            assertThat(SseStream.text(other.untilEnd(WAIT))).isEqualTo(expected);
        }
    }

    @Test
    void anAnswerIsCheckpointedWhileItStreams() throws Exception {
        Script.Gate gate = new Script.Gate();
        upstream.reply("m1", Script.tokens("alpha ", "beta ", "gamma").holdAfter(2, gate));
        Response sent = send(newChat(), "Go", "m1").expect(202);
        String answer = "/api/v1/messages/" + sent.text("/assistantMessage/id");
        gate.awaitReached(WAIT);

        JsonNode stored = Eventually.within(WAIT).until(() -> alice.get(answer).expect(200).json(),
                m -> m.path("content").asString().equals("alpha beta "));
        assertThat(stored.path("status").asString()).isEqualTo("streaming");

        gate.release();
        follow(sent.text("/streamUrl"));
        assertThat(alice.get(answer).expect(200).text("/content")).isEqualTo("alpha beta gamma");
    }

    @Test
    void cancellingKeepsThePartialText() {
        Script.Gate gate = new Script.Gate();
        upstream.reply("m1", Script.tokens("first ", "second ", "third").holdAfter(2, gate));
        Response sent = send(newChat(), "Go", "m1").expect(202);
        String answerId = sent.text("/assistantMessage/id");
        try (SseStream stream = alice.stream(sent.text("/streamUrl"))) {
            gate.awaitReached(WAIT);
            stream.deltasUntil("first second ".length(), WAIT);

            Response cancelled = alice.post("/api/v1/messages/" + answerId + "/cancel", null).expect(200);
            assertThat(cancelled.text("/status")).isEqualTo("cancelled");
            assertThat(cancelled.text("/content")).isEqualTo("first second ");

            Event end = stream.untilEnd(WAIT).getLast();
            assertThat(end.name()).isEqualTo("done");
            assertThat(end.data().path("status").asString()).isEqualTo("cancelled");
        } finally {
            gate.release();
        }
        JsonNode stored = alice.get("/api/v1/messages/" + answerId).expect(200).json();
        assertThat(stored.path("status").asString()).isEqualTo("cancelled");
        assertThat(stored.path("content").asString()).isEqualTo("first second ");
        // Cancelling again changes nothing.
        assertThat(alice.post("/api/v1/messages/" + answerId + "/cancel", null).expect(200).text("/status"))
                .isEqualTo("cancelled");
        alice.post("/api/v1/messages/" + sent.text("/userMessage/id") + "/cancel", null)
                .expectProblem(409, "not-an-answer");
    }

    @Test
    void deletingAChatMidAnswerStopsTheModel() throws Exception {
        Script.Gate gate = new Script.Gate(); // never released: only a cancel ends this answer
        upstream.reply("m1", Script.tokens("never ", "ending ", "story").holdAfter(2, gate));
        String chat = newChat();
        Response sent = send(chat, "Go", "m1").expect(202);
        gate.awaitReached(WAIT);
        StreamHub hub = server.context().getBean(StreamHub.class);
        assertThat(hub.find(java.util.UUID.fromString(sent.text("/assistantMessage/id")))).isPresent();

        alice.delete("/api/v1/chats/" + chat).expect(204);

        Eventually.within(WAIT).until(hub::size, size -> size == 0); // the next checkpoint finds it gone and stops it
        alice.get("/api/v1/messages/" + sent.text("/assistantMessage/id")).expectProblem(404, "message-not-found");
    }

    @Test
    void regeneratingAddsASiblingAnswerThatIsShown() {
        upstream.replyOnce("m1", Script.tokens("first answer"));
        upstream.replyOnce("m2", Script.tokens("second answer"));
        String chat = newChat();
        Response sent = send(chat, "Question", "m1").expect(202);
        follow(sent.text("/streamUrl"));
        String first = sent.text("/assistantMessage/id");

        Response again = alice.post("/api/v1/messages/" + first + "/regenerate", Map.of("model", "m2")).expect(202);
        String second = again.text("/assistantMessage/id");
        assertThat(again.text("/assistantMessage/parentId")).isEqualTo(sent.text("/userMessage/id"));
        assertThat(again.text("/assistantMessage/model")).isEqualTo("m2");
        assertThat(SseStream.text(follow(again.text("/streamUrl")))).isEqualTo("second answer");

        JsonNode branch = alice.get("/api/v1/chats/" + chat + "/messages").expect(200).json();
        assertThat(branch.path("activeLeafId").asString()).isEqualTo(second);
        JsonNode shown = branch.at("/items/1");
        assertThat(shown.path("content").asString()).isEqualTo("second answer");
        assertThat(strings(shown.path("siblings"))).containsExactly(first, second);
        // The prompt of the second answer is the question alone, not the first answer.
        JsonNode prompt = upstream.lastChat().json().path("messages");
        assertThat(prompt.size()).isEqualTo(1);
        assertThat(prompt.at("/0/content").asString()).isEqualTo("Question");

        // Regenerating without a model reuses the answer's model.
        upstream.replyOnce("m2", Script.tokens("third answer"));
        Response third = alice.post("/api/v1/messages/" + second + "/regenerate", null).expect(202);
        assertThat(third.text("/assistantMessage/model")).isEqualTo("m2");
        follow(third.text("/streamUrl"));
    }

    @Test
    void anEditedQuestionIsSentAsASiblingAndAnswered() {
        String chat = newChat();
        Response sent = send(chat, "Frist question", "m1").expect(202);
        follow(sent.text("/streamUrl"));

        Map<String, Object> edit = new HashMap<>();
        edit.put("content", "First question");
        edit.put("parentId", null); // the edited question was a root: its new version is a root too
        Response edited = alice.post("/api/v1/chats/" + chat + "/messages", edit).expect(202);
        assertThat(SseStream.text(follow(edited.text("/streamUrl")))).isEqualTo("First question");

        JsonNode branch = alice.get("/api/v1/chats/" + chat + "/messages").expect(200).json();
        assertThat(strings(branch.at("/items/0/siblings")))
                .containsExactly(sent.text("/userMessage/id"), edited.text("/userMessage/id"));
        // The chat remembered the model: the edit named none.
        assertThat(upstream.lastChat().json().path("model").asString()).isEqualTo("m1");
    }

    @Test
    void everyUpstreamFaultEndsAsAnErrorWithItsReasonAndPartialText() {
        assertFault(Script.httpError(503, "{\"error\":{\"message\":\"model is loading\"}}"), "", "503");
        assertFault(Script.tokens("a", "b", "c", "d").malformedAfter(2), "ab", "malformed");
        assertFault(Script.tokens("a", "b", "c", "d").disconnectAfter(2), "ab", null);
        assertFault(Script.tokens("a", "b", "c", "d").truncateAfter(3), "abc", null);
        assertFault(Script.tokens("a", "b", "c", "d").errorAfter(1, "overloaded"), "a", "overloaded");
        assertFault(Script.tokens("a", "b", "c", "d").hangAfter(2), "ab", "1 s");
        assertFault(Script.hangBeforeHeaders(), "", "1 s");
    }

    @Test
    void anOllamaModelIsAnsweredThroughItsOwnProtocol() {
        // Both connections serve m1: the older (openai) keeps the plain id, Ollama's is "ollama/m1".
        List<String> ids = new ArrayList<>();
        alice.get("/api/v1/models").expect(200).at("/models").forEach(m -> ids.add(m.path("id").asString()));
        assertThat(ids).contains("m1", "ollama/m1");

        Response sent = send(newChat(), "through ollama", "ollama/m1").expect(202);
        List<Event> events = follow(sent.text("/streamUrl"));
        assertThat(SseStream.text(events)).isEqualTo("through ollama");
        assertThat(events.getLast().data().at("/usage/completionTokens").asInt()).isPositive();
        assertThat(upstream.lastChat().path()).isEqualTo("/api/chat");
        assertThat(upstream.lastChat().model()).isEqualTo("m1");
    }

    @Test
    void answersAreCountedInTheMetrics() {
        follow(send(newChat(), "count me", "m1").expect(202).text("/streamUrl"));
        String metrics = server.admin().getAny("/actuator/prometheus").expect(200).body();
        assertThat(metrics).contains("nosso_turns_total{", "status=\"complete\"", "nosso_turn_tokens_total{",
                "nosso_turn_first_token_seconds", "nosso_turns_live");
    }

    private void assertFault(Script script, String partial, String reasonContains) {
        upstream.reply("m1", script);
        Response sent = send(newChat(), "Go", "m1").expect(202);
        List<Event> events = follow(sent.text("/streamUrl"));
        Event end = events.getLast();
        assertThat(end.name()).as("the end of %s", script).isEqualTo("error");
        assertThat(SseStream.text(events)).isEqualTo(partial);
        String reason = end.data().path("reason").asString();
        assertThat(reason).isNotBlank();
        if (reasonContains != null) {
            assertThat(reason).containsIgnoringCase(reasonContains);
        }
        JsonNode stored = alice.get("/api/v1/messages/" + sent.text("/assistantMessage/id")).expect(200).json();
        assertThat(stored.path("status").asString()).isEqualTo("error");
        assertThat(stored.path("error").asString()).isEqualTo(reason);
        assertThat(stored.path("content").asString()).isEqualTo(partial);
    }

    @Test
    void theChatsSystemPromptAndParametersAreSent() {
        alice.patch("/api/v1/preferences", Map.of("systemPrompt", "You are terse.")).expect(200);
        String chat = newChat();
        follow(send(chat, "Hi", "m1").expect(202).text("/streamUrl"));
        JsonNode request = upstream.lastChat().json();
        assertThat(request.at("/messages/0/role").asString()).isEqualTo("system");
        assertThat(request.at("/messages/0/content").asString()).isEqualTo("You are terse.");
        assertThat(request.has("temperature")).isFalse();

        alice.patch("/api/v1/chats/" + chat, Map.of("systemPrompt", "You are a pirate.", "temperature", 0.3,
                "maxTokens", 64)).expect(200);
        JsonNode settings = alice.get("/api/v1/chats/" + chat).expect(200).json();
        assertThat(settings.path("systemPrompt").asString()).isEqualTo("You are a pirate.");
        assertThat(settings.path("model").asString()).isEqualTo("m1");
        follow(send(chat, "Hello again", null).expect(202).text("/streamUrl"));
        request = upstream.lastChat().json();
        assertThat(request.at("/messages/0/content").asString()).isEqualTo("You are a pirate.");
        assertThat(request.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(request.path("max_tokens").asInt()).isEqualTo(64);
        List<String> roles = new ArrayList<>();
        request.path("messages").forEach(m -> roles.add(m.path("role").asString()));
        assertThat(roles).containsExactly("system", "user", "assistant", "user");

        alice.patch("/api/v1/chats/" + chat, Map.of("temperature", 3)).expectProblem(400, "validation");
        alice.patch("/api/v1/chats/" + chat, Map.of("maxTokens", 0)).expectProblem(400, "validation");
        Map<String, Object> noPrompt = new HashMap<>();
        noPrompt.put("systemPrompt", null); // PATCH is partial: a field left out stays as it was
        alice.patch("/api/v1/preferences", noPrompt).expect(200);
    }

    @Test
    void theOldestMessagesAreLeftOutWhenTheContextIsFull() {
        upstream.models("m1", "m2", "small").contextLength("small", 300);
        String chat = newChat();
        String filler = "word ".repeat(40); // about 40 tokens
        for (int i = 0; i < 10; i++) {
            Map<String, Object> old = Map.of("role", i % 2 == 0 ? "user" : "assistant", "content", i + " " + filler);
            alice.post("/api/v1/chats/" + chat + "/messages", old).expect(201);
        }
        follow(send(chat, "The newest question", "small").expect(202).text("/streamUrl"));
        JsonNode messages = upstream.lastChat().json().path("messages");
        // 300 tokens, half kept for the answer: the question and the three newest old messages (45 tokens
        // each) fit, no more.
        assertThat(messages.size()).isEqualTo(4);
        assertThat(messages.get(messages.size() - 1).path("content").asString()).isEqualTo("The newest question");
        assertThat(messages.get(messages.size() - 2).path("content").asString()).startsWith("9 ");
    }

    @Test
    void messagesWithoutAModelAreStoredAsBefore() {
        String chat = newChat();
        Response stored = alice.post("/api/v1/chats/" + chat + "/messages", Map.of("content", "just a note"))
                .expect(201);
        assertThat(stored.text("/role")).isEqualTo("user");
        alice.post("/api/v1/chats/" + chat + "/messages", Map.of("role", "assistant", "content", "imported"))
                .expect(201);
        alice.post("/api/v1/chats/" + chat + "/messages", Map.of("content", "answer me", "generate", true))
                .expectProblem(400, "model-required");
        send(chat, "Hi", "no-such-model").expectProblem(400, "unknown-model");
        assertThat(alice.get("/api/v1/chats/" + chat).expect(200).json().path("messageCount").asInt()).isEqualTo(2);
    }

    @Test
    void anotherUsersAnswerCannotBeFollowedStoppedOrRegenerated() {
        Response sent = send(newChat(), "Mine", "m1").expect(202);
        follow(sent.text("/streamUrl"));
        String answer = sent.text("/assistantMessage/id");
        ApiClient bob = server.newUser();
        bob.get("/api/v1/messages/" + answer + "/stream").expectProblem(404, "message-not-found");
        bob.post("/api/v1/messages/" + answer + "/cancel", null).expectProblem(404, "message-not-found");
        bob.post("/api/v1/messages/" + answer + "/regenerate", null).expectProblem(404, "message-not-found");
        assertThat(upstream.requests("/v1/chat/completions")).hasSize(1);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(item -> values.add(item.asString()));
        return values;
    }
}
