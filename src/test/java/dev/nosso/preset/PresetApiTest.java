package dev.nosso.preset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.Eventually;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import dev.nosso.support.SseStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Presets over real HTTP on both databases: each user's own (owner-filtered), published ones from an
 * administrator, a chat started from one, and the OpenAI-compatible API driven by OpenAI's own SDK with a preset
 * as the model, checked by what the scripted upstream received.
 */
class PresetApiTest extends ServerTest {

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

    @BeforeEach
    void freshUpstream() {
        upstream.reset();
        upstream.models("m1", "m2");
    }

    private static String unique(String name) {
        return name + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, Object> preset(String name, Object... more) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "model", "m2"));
        for (int i = 0; i + 1 < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    private OpenAIClient sdk(ApiClient user) {
        String key = user.post("/api/v1/api-keys", Map.of("name", "sdk")).expect(201).text("/key");
        return OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey(key).maxRetries(0)
                .timeout(WAIT).build();
    }

    private String readyCollection(ApiClient user, String fileName, String text) {
        String file = user.upload("/api/v1/files", fileName, "text/plain", text.getBytes(StandardCharsets.UTF_8),
                Map.of()).expect(201).text("/id");
        JsonNode ready = Eventually.within(WAIT).until(() -> user.get("/api/v1/files/" + file).expect(200).json(),
                f -> !List.of("pending", "processing").contains(f.path("status").asString()));
        assertThat(ready.path("status").asString()).isEqualTo("ready");
        String collection = user.post("/api/v1/collections", Map.of("name", unique("c"))).expect(201).text("/id");
        user.post("/api/v1/collections/" + collection + "/files", Map.of("fileIds", List.of(file))).expect(200);
        return collection;
    }

    @Test
    void aUsersPresetsAreTheirsAlone() {
        ApiClient alice = server.newUser();
        ApiClient bob = server.newUser();
        String collection = alice.post("/api/v1/collections", Map.of("name", "notes")).expect(201).text("/id");
        String bobs = bob.post("/api/v1/collections", Map.of("name", "bob's")).expect(201).text("/id");

        Response created = alice.post("/api/v1/presets", preset("  Reviewer  ", "systemPrompt", "Review code.",
                "temperature", 0.2, "maxTokens", 300, "collectionIds", List.of(collection), "memory", true)).expect(201);

        String id = created.text("/id");
        assertThat(created.text("/name")).isEqualTo("Reviewer");
        assertThat(created.text("/modelId")).isEqualTo("preset:Reviewer");
        assertThat(created.text("/model")).isEqualTo("m2");
        assertThat(created.json().path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(created.json().path("maxTokens").asInt()).isEqualTo(300);
        assertThat(created.text("/collectionIds/0")).isEqualTo(collection);
        assertThat(created.json().path("memory").asBoolean()).isTrue();
        assertThat(created.json().path("mine").asBoolean()).isTrue();
        assertThat(created.json().path("published").asBoolean()).isFalse();
        assertThat(alice.get("/api/v1/presets").expect(200).json().toString()).contains(id);

        assertThat(bob.get("/api/v1/presets").expect(200).json().toString()).doesNotContain(id);
        bob.get("/api/v1/presets/" + id).expectProblem(404, "preset-not-found");
        bob.put("/api/v1/presets/" + id, preset("Mine now")).expectProblem(404, "preset-not-found");
        bob.delete("/api/v1/presets/" + id).expectProblem(404, "preset-not-found");
        bob.post("/api/v1/chats", Map.of("presetId", id)).expectProblem(404, "preset-not-found");
        bob.post("/api/v1/presets", preset("Reviewer")).expect(201); // names are per user

        alice.post("/api/v1/presets", preset("Reviewer")).expectProblem(409, "preset-name-taken");
        alice.post("/api/v1/presets", preset("Hot", "temperature", 2.5)).expectProblem(400, "validation");
        alice.post("/api/v1/presets", preset("")).expectProblem(400, "validation");
        alice.post("/api/v1/presets", Map.of("name", "No model")).expectProblem(400, "validation");
        alice.post("/api/v1/presets", preset("Theirs", "collectionIds", List.of(bobs)))
                .expectProblem(404, "collection-not-found");
        alice.post("/api/v1/presets", "{\"name\": ").expect(400);

        Response renamed = alice.put("/api/v1/presets/" + id, preset("Strict reviewer", "temperature", 0.1)).expect(200);
        assertThat(renamed.text("/modelId")).isEqualTo("preset:Strict reviewer");
        assertThat(renamed.json().path("collectionIds")).isEmpty();
        assertThat(renamed.json().path("systemPrompt").isNull()).isTrue();

        alice.delete("/api/v1/presets/" + id).expect(204);
        alice.get("/api/v1/presets/" + id).expectProblem(404, "preset-not-found");
    }

    @Test
    void onlyAnAdministratorPublishesAndEveryoneSeesWhatIsPublished() {
        ApiClient alice = server.newUser();
        ApiClient admin = server.admin();
        String name = unique("Translator");
        alice.post("/api/v1/presets", preset(name, "published", true)).expectProblem(403, "admin-only");
        String adminsCollection = admin.post("/api/v1/collections", Map.of("name", unique("admin"))).expect(201)
                .text("/id");
        admin.post("/api/v1/presets", preset(name, "published", true, "collectionIds", List.of(adminsCollection)))
                .expectProblem(400, "published-preset-collections");

        String id = admin.post("/api/v1/presets", preset(name, "systemPrompt", "Translate to Portuguese.",
                "published", true)).expect(201).text("/id");

        JsonNode seen = alice.get("/api/v1/presets/" + id).expect(200).json();
        assertThat(seen.path("published").asBoolean()).isTrue();
        assertThat(seen.path("mine").asBoolean()).isFalse();
        assertThat(seen.path("systemPrompt").asString()).isEqualTo("Translate to Portuguese.");
        assertThat(seen.toString()).doesNotContain("admin@");
        alice.put("/api/v1/presets/" + id, preset("Hijacked")).expectProblem(404, "preset-not-found");
        alice.delete("/api/v1/presets/" + id).expectProblem(404, "preset-not-found");
        admin.post("/api/v1/presets", preset(name + " 2", "published", true)).expect(201);
        String other = alice.post("/api/v1/presets", preset(name)).expect(201).text("/id"); // her own, same name
        assertThat(alice.get("/api/v1/presets/" + other).expect(200).json().path("mine").asBoolean()).isTrue();

        JsonNode chat = alice.post("/api/v1/chats", Map.of("presetId", id)).expect(201).json();
        assertThat(chat.path("systemPrompt").asString()).isEqualTo("Translate to Portuguese.");

        admin.put("/api/v1/presets/" + id, preset(name, "systemPrompt", "Translate to Portuguese.", "published", false))
                .expect(200);
        alice.get("/api/v1/presets/" + id).expectProblem(404, "preset-not-found");
        assertThat(alice.get("/api/v1/presets").expect(200).json().toString()).doesNotContain(id);
    }

    @Test
    void aChatStartsWithACopyOfThePresetsSettings() {
        ApiClient alice = server.newUser();
        String collection = alice.post("/api/v1/collections", Map.of("name", "notes")).expect(201).text("/id");
        String id = alice.post("/api/v1/presets", preset("Poet", "systemPrompt", "Answer in verse.",
                "temperature", 0.7, "maxTokens", 120, "collectionIds", List.of(collection), "memory", true))
                .expect(201).text("/id");

        JsonNode chat = alice.post("/api/v1/chats", Map.of("presetId", id)).expect(201).json();

        assertThat(chat.path("model").asString()).isEqualTo("m2");
        assertThat(chat.path("systemPrompt").asString()).isEqualTo("Answer in verse.");
        assertThat(chat.path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(chat.path("maxTokens").asInt()).isEqualTo(120);
        assertThat(chat.path("collectionIds").toString()).contains(collection);
        assertThat(chat.path("memory").asBoolean()).isTrue();

        upstream.reply("m2", Script.tokens("Roses are red."));
        Response sent = alice.post("/api/v1/chats/" + chat.path("id").asString() + "/messages",
                Map.of("content", "Say hello")).expect(202);
        try (SseStream stream = alice.stream(sent.text("/streamUrl"))) {
            stream.untilEnd(WAIT);
        }
        JsonNode received = upstream.lastChat().json();
        assertThat(received.path("model").asString()).isEqualTo("m2");
        assertThat(received.path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(received.path("max_tokens").asInt()).isEqualTo(120);
        assertThat(received.path("messages").toString()).contains("Answer in verse.");

        // A later change of the preset leaves the chat as it was.
        alice.put("/api/v1/presets/" + id, preset("Poet", "systemPrompt", "Answer in prose.")).expect(200);
        assertThat(alice.get("/api/v1/chats/" + chat.path("id").asString()).expect(200).text("/systemPrompt"))
                .isEqualTo("Answer in verse.");
    }

    @Test
    void theModelListOffersPublishedPresetsAndTheCallersOwn() {
        ApiClient alice = server.newUser();
        ApiClient bob = server.newUser();
        String published = unique("Published");
        server.admin().post("/api/v1/presets", preset(published, "published", true)).expect(201);
        alice.post("/api/v1/presets", preset("Alice's own")).expect(201);
        bob.post("/api/v1/presets", preset("Bob's own")).expect(201);

        OpenAIClient openai = sdk(alice);
        try {
            List<Model> models = openai.models().list().data();
            models.forEach(Model::validate);
            assertThat(models).extracting(Model::id)
                    .contains("m1", "m2", "preset:" + published, "preset:Alice's own")
                    .doesNotContain("preset:Bob's own");
            Model own = openai.models().retrieve("preset:Alice's own");
            own.validate();
            assertThat(own.ownedBy()).isEqualTo("user");
            assertThat(openai.models().retrieve("preset:" + published).ownedBy()).isEqualTo("nosso");
            assertThatThrownBy(() -> openai.models().retrieve("preset:Bob's own")).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> openai.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("preset:Bob's own").addUserMessage("Hi").build())).isInstanceOf(NotFoundException.class);
        } finally {
            openai.close();
        }
    }

    @Test
    void aCompletionWithAPresetAsTheModelSendsThePresetsModelPromptAndSampling() {
        ApiClient alice = server.newUser();
        alice.post("/api/v1/presets", preset("Terse", "systemPrompt", "You are terse.", "temperature", 0.25,
                "maxTokens", 77)).expect(201);
        upstream.reply("m2", Script.tokens("Yes."));

        OpenAIClient openai = sdk(alice);
        try {
            ChatCompletion completion = openai.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("preset:Terse").addUserMessage("Is water wet?").build());

            completion.validate();
            assertThat(completion.choices().getFirst().message().content()).contains("Yes.");
            JsonNode received = upstream.lastChat().json();
            assertThat(received.path("model").asString()).isEqualTo("m2");
            assertThat(received.at("/messages/0/role").asString()).isEqualTo("system");
            assertThat(received.at("/messages/0/content").asString()).isEqualTo("You are terse.");
            assertThat(received.at("/messages/1/role").asString()).isEqualTo("user");
            assertThat(received.at("/messages/1/content").asString()).isEqualTo("Is water wet?");
            assertThat(received.path("temperature").asDouble()).isEqualTo(0.25);
            assertThat(received.path("max_tokens").asInt()).isEqualTo(77);

            // The request's own sampling wins over the preset's.
            openai.chat().completions().create(ChatCompletionCreateParams.builder().model("preset:Terse")
                    .addUserMessage("Again?").temperature(0.9).maxCompletionTokens(5).build());
            received = upstream.lastChat().json();
            assertThat(received.path("temperature").asDouble()).isEqualTo(0.9);
            assertThat(received.path("max_tokens").asInt()).isEqualTo(5);
            assertThat(received.at("/messages/0/content").asString()).isEqualTo("You are terse.");
        } finally {
            openai.close();
        }
    }

    @Test
    void aPresetsCollectionsGroundTheCompletion() {
        ApiClient alice = server.newUser();
        String collection = readyCollection(alice, "harbour.txt",
                "The harbour master of Porto Velho is Joana Prates, appointed in 1998.");
        alice.post("/api/v1/presets", preset("Harbour", "collectionIds", List.of(collection))).expect(201);
        upstream.reply("m2", Script.tokens("Joana Prates [1]."));

        OpenAIClient openai = sdk(alice);
        try {
            openai.chat().completions().create(ChatCompletionCreateParams.builder().model("preset:Harbour")
                    .addUserMessage("Who is the harbour master of Porto Velho?").build());
        } finally {
            openai.close();
        }

        JsonNode received = upstream.lastChat().json();
        assertThat(received.path("model").asString()).isEqualTo("m2");
        assertThat(received.path("messages").toString()).contains("harbour.txt", "Joana Prates, appointed in 1998");
    }
}
