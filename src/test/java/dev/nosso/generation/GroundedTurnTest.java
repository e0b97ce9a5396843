package dev.nosso.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.Eventually;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import dev.nosso.support.SseStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Answers grounded on the user's files: the sources reach the model, and are saved with the answer. */
class GroundedTurnTest extends ServerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ScriptedUpstream upstream = ScriptedUpstream.start();

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                "nosso.generation.titles", "false");
    }

    @AfterAll
    void stopUpstream() {
        upstream.close();
    }

    private static String uploadReady(ApiClient client, String name, String text) throws Exception {
        String id = client.upload("/api/v1/files", name, "text/plain", text.getBytes(StandardCharsets.UTF_8), Map.of())
                .expect(201).text("/id");
        JsonNode file = Eventually.within(WAIT).until(() -> client.get("/api/v1/files/" + id).expect(200).json(),
                f -> !f.path("status").asString().equals("pending") && !f.path("status").asString().equals("processing"));
        assertThat(file.path("status").asString()).isEqualTo("ready");
        return id;
    }

    @Test
    void aTurnOnACollectionSendsItsPassagesAndSavesThemAsCitations() throws Exception {
        upstream.reset();
        upstream.models("m1").reply("m1", Script.tokens("The keeper is Ada [1]."));
        ApiClient alice = server.newUser();
        String file = uploadReady(alice, "lighthouse.txt",
                "The lighthouse on Gull Island is kept by Ada Lovelace since 1843.\n\n"
                        + "Its lamp burns whale oil and turns every ten seconds.");
        String collection = alice.post("/api/v1/collections", Map.of("name", "islands")).expect(201).text("/id");
        alice.post("/api/v1/collections/" + collection + "/files", Map.of("fileIds", List.of(file))).expect(200);
        String chat = alice.post("/api/v1/chats", Map.of()).expect(201).text("/id");

        Response sent = alice.post("/api/v1/chats/" + chat + "/messages", Map.of("content",
                "Who keeps the lighthouse on Gull Island?", "model", "m1", "collectionIds", List.of(collection)))
                .expect(202);
        List<SseStream.Event> events;
        try (SseStream stream = alice.stream(sent.text("/streamUrl"))) {
            events = stream.untilEnd(WAIT);
        }

        JsonNode prompt = upstream.lastChat().json().path("messages");
        assertThat(prompt.at("/0/role").asString()).isEqualTo("system");
        String sources = prompt.at("/0/content").asString();
        assertThat(sources).startsWith(PromptBuilder.SOURCES_INSTRUCTION).contains("[1] lighthouse.txt", "Ada Lovelace");
        assertThat(prompt.at("/1/content").asString()).isEqualTo("Who keeps the lighthouse on Gull Island?");

        JsonNode done = events.getLast().data();
        assertThat(done.at("/sources/0/n").asInt()).isEqualTo(1);
        assertThat(done.at("/sources/0/sourceKind").asString()).isEqualTo("file");
        assertThat(done.at("/sources/0/sourceId").asString()).isEqualTo(file);
        assertThat(done.at("/sources/0/text").asString()).contains("Ada Lovelace");
        JsonNode stored = alice.get("/api/v1/messages/" + sent.text("/assistantMessage/id")).expect(200).json();
        assertThat(stored.path("sources")).isEqualTo(done.path("sources"));
        assertThat(stored.path("content").asString()).isEqualTo("The keeper is Ada [1].");
    }

    @Test
    void anotherUsersCollectionIsRefusedBeforeAnythingIsStoredAndNoFileLeaksIntoAnUngroundedTurn() throws Exception {
        upstream.reset();
        upstream.models("m1");
        ApiClient alice = server.newUser();
        String file = uploadReady(alice, "secret.txt", "The vault code is 4815 and only Alice knows it.");
        String collection = alice.post("/api/v1/collections", Map.of("name", "private")).expect(201).text("/id");
        alice.post("/api/v1/collections/" + collection + "/files", Map.of("fileIds", List.of(file))).expect(200);

        ApiClient bob = server.newUser();
        String chat = bob.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        bob.post("/api/v1/chats/" + chat + "/messages", Map.of("content", "What is the vault code?", "model", "m1",
                "collectionIds", List.of(collection))).expectProblem(404, "collection-not-found");
        bob.post("/api/v1/chats/" + chat + "/messages", Map.of("content", "What is the vault code?", "model", "m1",
                "fileIds", List.of(file))).expectProblem(404, "file-not-found");
        assertThat(bob.get("/api/v1/chats/" + chat).expect(200).at("/messageCount").asInt()).isZero();

        // Bob's own turn over all his files (he has none) and his memory finds nothing of Alice's.
        Response sent = bob.post("/api/v1/chats/" + chat + "/messages", Map.of("content", "What is the vault code?",
                "model", "m1", "fileIds", List.of(), "memory", true)).expect(202);
        try (SseStream stream = bob.stream(sent.text("/streamUrl"))) {
            stream.untilEnd(WAIT);
        }
        assertThat(upstream.lastChat().json().toString()).doesNotContain("4815");
        assertThat(bob.get("/api/v1/messages/" + sent.text("/assistantMessage/id")).expect(200).at("/sources").size())
                .isZero();
    }

    @Test
    void aChatsDefaultCollectionsGroundTurnsThatNameNone() throws Exception {
        upstream.reset();
        upstream.models("m1");
        ApiClient alice = server.newUser();
        String file = uploadReady(alice, "tides.txt", "High tide at Gull Island comes at seven in the morning.");
        String collection = alice.post("/api/v1/collections", Map.of("name", "tides")).expect(201).text("/id");
        alice.post("/api/v1/collections/" + collection + "/files", Map.of("fileIds", List.of(file))).expect(200);
        String chat = alice.post("/api/v1/chats", Map.of()).expect(201).text("/id");

        alice.patch("/api/v1/chats/" + chat, Map.of("collectionIds", List.of(collection), "memory", true)).expect(200);
        JsonNode settings = alice.get("/api/v1/chats/" + chat).expect(200).json();
        assertThat(settings.at("/collectionIds/0").asString()).isEqualTo(collection);
        assertThat(settings.path("memory").asBoolean()).isTrue();
        assertThat(alice.get("/api/v1/chats").expect(200).at("/items/0/collectionIds/0").asString()).isEqualTo(collection);

        Response sent = alice.post("/api/v1/chats/" + chat + "/messages",
                Map.of("content", "When is high tide?", "model", "m1")).expect(202);
        try (SseStream stream = alice.stream(sent.text("/streamUrl"))) {
            stream.untilEnd(WAIT);
        }
        assertThat(upstream.lastChat().json().at("/messages/0/content").asString()).contains("seven in the morning");

        ApiClient bob = server.newUser();
        String bobs = bob.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        bob.patch("/api/v1/chats/" + bobs, Map.of("collectionIds", List.of(collection))).expectProblem(404,
                "collection-not-found");
        java.util.HashMap<String, Object> clear = new java.util.HashMap<>();
        clear.put("collectionIds", null);
        alice.patch("/api/v1/chats/" + chat, clear).expect(200);
        assertThat(alice.get("/api/v1/chats/" + chat).expect(200).at("/collectionIds").size()).isZero();
    }

    @Test
    void aFileAttachedToAChatGroundsThatChatsTurnsOnlyUntilItIsDetached() throws Exception {
        upstream.reset();
        upstream.models("m1");
        ApiClient alice = server.newUser();
        String chat = alice.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        String other = alice.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        String id = alice.upload("/api/v1/files", "ferry.txt", "text/plain",
                "The ferry to Gull Island leaves from pier nine at noon.".getBytes(StandardCharsets.UTF_8),
                Map.of("chatId", chat)).expect(201).text("/id");
        Eventually.within(WAIT).until(() -> alice.get("/api/v1/files/" + id).expect(200).json(),
                f -> f.path("status").asString().equals("ready"));
        assertThat(alice.get("/api/v1/chats/" + chat + "/files").expect(200).at("/0/id").asString()).isEqualTo(id);

        ask(alice, chat, "Where does the ferry leave from?");
        assertThat(upstream.lastChat().json().at("/messages/0/content").asString()).contains("pier nine");
        ask(alice, other, "Where does the ferry leave from?");
        assertThat(upstream.lastChat().json().toString()).doesNotContain("pier nine");

        // The same file attached to the second chat as well, then detached from the first.
        alice.post("/api/v1/chats/" + other + "/files", Map.of("fileIds", List.of(id))).expect(200);
        alice.delete("/api/v1/chats/" + chat + "/files/" + id).expect(204);
        alice.delete("/api/v1/chats/" + chat + "/files/" + id).expectProblem(404, "file-not-found");
        ask(alice, other, "Where does the ferry leave from?");
        assertThat(upstream.lastChat().json().at("/messages/0/content").asString()).contains("pier nine");
        ask(alice, chat, "Where does the ferry leave from?");
        assertThat(upstream.lastChat().json().toString()).doesNotContain("pier nine");
        assertThat(alice.get("/api/v1/files/" + id).expect(200).text("/status")).isEqualTo("ready");

        ApiClient bob = server.newUser();
        String bobs = bob.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        bob.get("/api/v1/chats/" + other + "/files").expectProblem(404, "chat-not-found");
        bob.post("/api/v1/chats/" + bobs + "/files", Map.of("fileIds", List.of(id))).expectProblem(404, "file-not-found");
        bob.post("/api/v1/chats/" + other + "/files", Map.of("fileIds", List.of(id))).expectProblem(404, "chat-not-found");
        bob.delete("/api/v1/chats/" + other + "/files/" + id).expectProblem(404, "chat-not-found");
        bob.post("/api/v1/chats/" + bobs + "/files", Map.of("fileIds", List.of())).expectProblem(400, "validation");
    }

    private void ask(ApiClient client, String chat, String question) throws Exception {
        Response sent = client.post("/api/v1/chats/" + chat + "/messages", Map.of("content", question, "model", "m1"))
                .expect(202);
        try (SseStream stream = client.stream(sent.text("/streamUrl"))) {
            stream.untilEnd(WAIT);
        }
    }

    @Test
    void theOpenAiCompatibleApiGroundsOnCollectionsWhenAsked() throws Exception {
        upstream.reset();
        upstream.models("m1").reply("m1", Script.tokens("Seven [1]."));
        ApiClient alice = server.newUser();
        String file = uploadReady(alice, "ferry.txt", "The first ferry to Gull Island leaves at seven.");
        String collection = alice.post("/api/v1/collections", Map.of("name", "ferries")).expect(201).text("/id");
        alice.post("/api/v1/collections/" + collection + "/files", Map.of("fileIds", List.of(file))).expect(200);
        String key = alice.post("/api/v1/api-keys", Map.of("name", "script")).expect(201).text("/key");
        ApiClient script = alice.withBearer(key);

        Response answer = script.post("/v1/chat/completions", Map.of("model", "m1", "collection_ids", List.of(collection),
                "messages", List.of(Map.of("role", "user", "content", "When does the first ferry leave?")))).expect(200);
        assertThat(answer.text("/choices/0/message/content")).isEqualTo("Seven [1].");
        JsonNode prompt = upstream.lastChat().json().path("messages");
        assertThat(prompt.at("/0/role").asString()).isEqualTo("system");
        assertThat(prompt.at("/0/content").asString()).contains("[1] ferry.txt", "leaves at seven");

        script.post("/v1/chat/completions", Map.of("model", "m1", "messages",
                List.of(Map.of("role", "user", "content", "When does the first ferry leave?")))).expect(200);
        assertThat(upstream.lastChat().json().path("messages").size()).isEqualTo(1); // not asked: not grounded
    }
}
