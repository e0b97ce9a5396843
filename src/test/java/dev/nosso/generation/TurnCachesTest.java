package dev.nosso.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import dev.nosso.support.SseStream;
import dev.nosso.support.SseStream.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import tools.jackson.databind.JsonNode;

/**
 * A turn reads the chat's settings and the user's preferences from memory once read: every change to them
 * reaches the very next turn all the same, on SQLite and on PostgreSQL, and each cache (these two, who a credential stands for, the model catalog) counts its hits.
 */
class TurnCachesTest extends ServerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private ApiClient alice;

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                "nosso.ollama.url", upstream.ollamaBaseUrl().toString(),
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
        upstream.defaultReply(Script.tokens("Fine", "."));
    }

    @AfterAll
    void stopUpstream() {
        upstream.close();
    }

    /** Sends a message, follows its answer to the end, and returns what the model was sent. */
    private JsonNode turn(String chat, String content, String model) {
        Map<String, Object> body = new HashMap<>();
        body.put("content", content);
        if (model != null) {
            body.put("model", model);
        }
        List<Event> events;
        try (SseStream stream = alice.streamPost("/api/v1/chats/" + chat + "/messages", body)) {
            events = stream.untilEnd(WAIT);
        }
        assertThat(events.getLast().data().path("status").asString()).isEqualTo("complete");
        return upstream.lastChat().json();
    }

    private String newChat() {
        return alice.post("/api/v1/chats", Map.of()).expect(201).text("/id");
    }

    @Test
    void aChangeToTheChatReachesItsNextTurn() {
        String chat = newChat();
        turn(chat, "One", "m1");
        assertThat(turn(chat, "Two", null).path("model").asString()).isEqualTo("m1"); // settings now in memory

        alice.patch("/api/v1/chats/" + chat, Map.of("systemPrompt", "Be brief.", "temperature", 0.2)).expect(200);
        JsonNode sent = turn(chat, "Three", null);
        assertThat(sent.at("/messages/0/role").asString()).isEqualTo("system");
        assertThat(sent.at("/messages/0/content").asString()).isEqualTo("Be brief.");
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.2);

        turn(chat, "Four", "m2"); // a turn with another model makes it the chat's
        assertThat(turn(chat, "Five", null).path("model").asString()).isEqualTo("m2");
        assertThat(alice.get("/api/v1/chats/" + chat).expect(200).text("/model")).isEqualTo("m2");

        alice.patch("/api/v1/chats/" + chat, Map.of("model", "m1")).expect(200);
        assertThat(turn(chat, "Six", null).path("model").asString()).isEqualTo("m1");
    }

    @Test
    void aChangedPreferenceReachesTheNextTurn() {
        String chat = newChat();
        JsonNode before = turn(chat, "Hello", "m1");
        assertThat(before.at("/messages/0/role").asString()).isEqualTo("user");

        alice.patch("/api/v1/preferences", Map.of("systemPrompt", "Answer in Portuguese.")).expect(200);
        JsonNode after = turn(chat, "Hello again", null);
        assertThat(after.at("/messages/0/role").asString()).isEqualTo("system");
        assertThat(after.at("/messages/0/content").asString()).isEqualTo("Answer in Portuguese.");

        Map<String, Object> noPrompt = new HashMap<>();
        noPrompt.put("systemPrompt", null);
        alice.patch("/api/v1/preferences", noPrompt).expect(200);
        assertThat(turn(chat, "And now?", null).at("/messages/0/role").asString()).isEqualTo("user");
    }

    @Test
    void deletingACollectionTheChatUsesLeavesItsTurnsWorking() {
        String collection = alice.post("/api/v1/collections", Map.of("name", "Papers")).expect(201).text("/id");
        String chat = newChat();
        alice.patch("/api/v1/chats/" + chat, Map.of("collectionIds", List.of(collection))).expect(200);
        turn(chat, "Anything in my papers?", "m1"); // the chat's settings, naming the collection, in memory

        alice.delete("/api/v1/collections/" + collection).expect(204);

        turn(chat, "And now?", null);
        assertThat(alice.get("/api/v1/chats/" + chat).expect(200).json().path("collectionIds")).isEmpty();
    }

    @Test
    void aFileAttachedAfterTheChatsFilesWereReadGroundsTheNextTurn() {
        String chat = newChat();
        assertThat(turn(chat, "Who keeps the lighthouse?", "m1").at("/messages/0/role").asString())
                .isEqualTo("user"); // no files: nothing to ground on, and that is now in memory
        String file = alice.upload("/api/v1/files", "lighthouse.txt", "text/plain",
                "The lighthouse on Gull Island is kept by Ada Lovelace.".getBytes(StandardCharsets.UTF_8), Map.of())
                .expect(201).text("/id");
        Eventually.within(WAIT).until(() -> alice.get("/api/v1/files/" + file).expect(200).text("/status"),
                "ready"::equals);

        alice.post("/api/v1/chats/" + chat + "/files", Map.of("fileIds", List.of(file))).expect(200);

        JsonNode sent = turn(chat, "Who keeps the lighthouse on Gull Island?", null);
        assertThat(sent.at("/messages/0/role").asString()).isEqualTo("system");
        assertThat(sent.at("/messages/0/content").asString()).contains("[1] lighthouse.txt", "Ada Lovelace");

        alice.delete("/api/v1/chats/" + chat + "/files/" + file).expect(204);
        assertThat(turn(chat, "And now, who keeps it?", null).at("/messages/0/role").asString()).isEqualTo("user");
    }

    @Test
    void eachCacheCountsItsHits() {
        String chat = newChat();
        turn(chat, "One", "m1");
        turn(chat, "Two", null);

        String metrics = server.admin().getAny("/actuator/prometheus").expect(200).body();
        assertThat(metrics).containsPattern("cache_gets_total\\{cache=\"nosso.chats.settings\"[^}]*result=\"hit\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("cache_gets_total\\{cache=\"nosso.preferences\"[^}]*result=\"hit\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("cache_gets_total\\{cache=\"nosso.models.catalog\"[^}]*result=\"hit\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("cache_gets_total\\{cache=\"nosso.identity.callers\"[^}]*result=\"hit\"[^}]*} [1-9]");
    }
}
