package dev.nosso.transfer;

import static dev.nosso.transfer.Transfers.chatsByTitle;
import static dev.nosso.transfer.Transfers.fixture;
import static dev.nosso.transfer.Transfers.importAndWait;
import static dev.nosso.transfer.Transfers.shape;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.chat.Messages;
import dev.nosso.chat.Source;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import dev.nosso.support.ServerTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Importing exports of ChatGPT, Open WebUI and Nosso over the real API: every branch, the shown leaf, times and
 * models kept; hidden and tool messages left out and counted; a lone surrogate replaced and counted; the same
 * file twice creates nothing; a cut or broken file fails with its reason and leaves only whole conversations,
 * and importing it whole afterwards adds just the rest.
 */
class ImportApiTest extends ServerTest {

    private static final String REPLACEMENT = "\uFFFD";

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.imports.max-unzipped-bytes", "1000000", "nosso.imports.max-bytes", "4000000");
    }

    @Test
    void aChatGptExportKeepsEveryBranchTheShownLeafTimesAndModelsAndCountsWhatItLeftOut() {
        ApiClient alice = server.newUser();

        JsonNode done = importAndWait(alice, "conversations.json", fixture("chatgpt-conversations.json"));

        assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("done");
        assertThat(done.path("format").asString()).isEqualTo("chatgpt");
        JsonNode report = done.path("report");
        assertThat(report.path("chatsCreated").asInt()).isEqualTo(2);
        assertThat(report.path("messagesImported").asInt()).isEqualTo(8);
        assertThat(report.path("skipped").path("hidden-system").asInt()).isEqualTo(1);
        assertThat(report.path("skipped").path("tool").asInt()).isEqualTo(2);
        assertThat(report.path("skipped").path("reasoning").asInt()).isEqualTo(1);
        assertThat(report.path("skipped").path("attachment").asInt()).isEqualTo(1);
        assertThat(report.path("charactersReplaced").asInt()).isEqualTo(1);
        JsonNode job = alice.get("/api/v1/jobs/" + done.path("jobId").asString()).expect(200).json();
        assertThat(job.path("state").asString()).isEqualTo("done");
        assertThat(job.path("kind").asString()).isEqualTo("import-chats");

        Map<String, JsonNode> chats = chatsByTitle(alice);
        assertThat(chats).containsOnlyKeys("Receita de pão de queijo", "Hello");
        JsonNode bread = chats.get("Receita de pão de queijo");
        assertThat(bread.path("model").asString()).isEqualTo("gpt-4o");
        assertThat(bread.path("createdAt").asString()).isEqualTo("2024-06-01T10:00:00.125Z");
        assertThat(chats.get("Hello").path("archived").asBoolean()).isTrue();

        JsonNode tree = alice.get("/api/v1/chats/" + bread.path("id").asString() + "/tree").expect(200).json();
        assertThat(tree.path("messages").size()).isEqualTo(6);
        // The shown branch: the question, the first answer, the edited question and the answer after the tool.
        List<String> shown = texts(alice.get("/api/v1/chats/" + bread.path("id").asString() + "/messages")
                .expect(200).at("/items"));
        assertThat(shown).hasSize(4);
        assertThat(shown.get(0)).isEqualTo("Como faço pão de queijo? 🧀");
        assertThat(shown.get(2)).isEqualTo("Show me the recipe as Python code, please.");
        assertThat(shown.get(3)).startsWith("```python\ningredients = [\"polvilho\"")
                .endsWith("A lone half: " + REPLACEMENT + " (end).");
        JsonNode last = alice.get("/api/v1/chats/" + bread.path("id").asString() + "/messages").expect(200)
                .at("/items/3");
        assertThat(last.path("model").asString()).isEqualTo("gpt-4o");
        assertThat(last.path("createdAt").asString()).isEqualTo("2024-06-01T10:03:30Z");
        // The regenerated answer and the first version of the edited question are siblings on the shown branch.
        assertThat(alice.get("/api/v1/chats/" + bread.path("id").asString() + "/messages").expect(200)
                .at("/items/1/siblings").size()).isEqualTo(2);
        List<String> all = texts(tree.path("messages"));
        assertThat(all).contains("Outra versão: misture 500 g de polvilho com leite quente.", "E em inglês?");
        assertThat(String.join("\n", all)).doesNotContain("print('teste')", "A list in Python.");
        String picture = texts(alice.get("/api/v1/chats/" + chats.get("Hello").path("id").asString() + "/messages")
                .expect(200).at("/items")).getFirst();
        assertThat(picture).isEqualTo("*[image not imported]*\n\nWhat is in this picture?");
    }

    @Test
    void importingTheSameFileTwiceCreatesNothingNew() {
        ApiClient alice = server.newUser();
        byte[] export = fixture("open-webui-chats.json");
        importAndWait(alice, "chats.json", export);
        Map<String, String> before = shapes(alice);

        JsonNode again = importAndWait(alice, "chats.json", export);

        assertThat(again.path("status").asString()).isEqualTo("done");
        assertThat(again.at("/report/chatsCreated").asInt()).isZero();
        assertThat(again.at("/report/chatsUnchanged").asInt()).isEqualTo(2);
        assertThat(again.at("/report/messagesImported").asInt()).isZero();
        assertThat(again.at("/report/messagesAlreadyThere").asInt()).isEqualTo(9);
        assertThat(shapes(alice)).isEqualTo(before);
        // Another user importing the same file gets chats of their own.
        ApiClient bob = server.newUser();
        assertThat(importAndWait(bob, "chats.json", export).at("/report/chatsCreated").asInt()).isEqualTo(2);
    }

    @Test
    void anOpenWebUiExportKeepsItsHistoryTreeCurrentIdAndFailedAnswers() {
        ApiClient alice = server.newUser();

        JsonNode done = importAndWait(alice, "chat-export.json", fixture("open-webui-chats.json"));

        assertThat(done.path("format").asString()).isEqualTo("open-webui");
        assertThat(done.at("/report/messagesImported").asInt()).isEqualTo(9);
        assertThat(done.at("/report/charactersReplaced").asInt()).isEqualTo(1);
        Map<String, JsonNode> chats = chatsByTitle(alice);
        JsonNode trip = chats.get("Planejamento da viagem ✈️");
        assertThat(trip.path("pinned").asBoolean()).isTrue();
        assertThat(trip.path("model").asString()).isEqualTo("llama3:8b");
        JsonNode shown = alice.get("/api/v1/chats/" + trip.path("id").asString() + "/messages").expect(200).at("/items");
        assertThat(texts(shown)).containsExactly("Quero visitar São Paulo em julho.",
                "Aqui vai um roteiro:\n```\ndia 1: MASP\ndia 2: Ibirapuera\n```", "E o clima? " + REPLACEMENT + " fim", "");
        assertThat(shown.get(3).path("status").asString()).isEqualTo("error");
        assertThat(shown.get(3).path("error").asString()).isEqualTo("Ollama: connection refused");
        assertThat(shown.get(1).path("siblings").size()).isEqualTo(2);
        // An edited first message is a second root; currentId shows it.
        JsonNode greeting = alice.get("/api/v1/chats/" + chats.get("Saudação").path("id").asString() + "/messages")
                .expect(200).at("/items");
        assertThat(texts(greeting)).containsExactly("Olá, bom dia", "Bom dia! 😊");
        assertThat(greeting.get(0).path("siblings").size()).isEqualTo(2);
    }

    @Test
    void aZipOfChatGptsSplitExportIsReadInTheOrderOfItsFiles() {
        ApiClient alice = server.newUser();
        JsonNode conversations = ApiClient.JSON.readTree(fixture("chatgpt-conversations.json"));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("export/chat.html", "<html></html>".getBytes(StandardCharsets.UTF_8));
        entries.put("export/conversations-001.json", ("[" + conversations.get(1) + "]").getBytes(StandardCharsets.UTF_8));
        entries.put("export/conversations-000.json", ("[" + conversations.get(0) + "]").getBytes(StandardCharsets.UTF_8));

        JsonNode done = importAndWait(alice, "export.zip", Transfers.zip(entries));

        assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("done");
        assertThat(done.at("/report/chatsCreated").asInt()).isEqualTo(2);
        assertThat(done.at("/report/messagesImported").asInt()).isEqualTo(8);
        // The same conversations as from conversations.json: nothing new.
        assertThat(importAndWait(alice, "conversations.json", fixture("chatgpt-conversations.json"))
                .at("/report/chatsUnchanged").asInt()).isEqualTo(2);
    }

    @Test
    void aZipThatUnpacksBeyondTheLimitFailsWithoutReadingOn() {
        ApiClient alice = server.newUser();
        byte[] spaces = new byte[3_000_000];
        Arrays.fill(spaces, (byte) ' ');
        spaces[0] = '[';

        JsonNode failed = importAndWait(alice, "bomb.zip", Transfers.zip(Map.of("conversations.json", spaces)));

        assertThat(failed.path("status").asString()).isEqualTo("failed");
        assertThat(failed.path("error").asString()).contains("unpacks to more than 1000000 bytes");
        assertThat(chatsByTitle(alice)).isEmpty();
    }

    @Test
    void aNossoExportKeepsItsSettingsStatusesAndErrors() {
        ApiClient alice = server.newUser();

        JsonNode done = importAndWait(alice, "nosso.json", fixture("nosso-export.json"));

        assertThat(done.path("format").asString()).isEqualTo("nosso");
        assertThat(done.at("/report/messagesImported").asInt()).isEqualTo(5);
        JsonNode chat = chatsByTitle(alice).get("Café e código ☕");
        assertThat(chat.path("createdAt").asString()).isEqualTo("2026-11-30T09:00:00.123Z");
        String id = chat.path("id").asString();
        JsonNode full = alice.get("/api/v1/chats/" + id).expect(200).json();
        assertThat(full.path("systemPrompt").asString()).isEqualTo("Responda em português.");
        JsonNode shown = alice.get("/api/v1/chats/" + id + "/messages").expect(200).at("/items");
        assertThat(texts(shown)).containsExactly("Como ordeno uma lista em Java?", "Use `list.sort(null)`.",
                "E com streams? " + REPLACEMENT, "```java\nlist.stream().sorted().toList();\n```");
        // An answer still being written when exported comes back interrupted, never pending.
        assertThat(shown.get(3).path("status").asString()).isEqualTo("interrupted");
        assertThat(shown.get(1).path("siblings").size()).isEqualTo(2);
    }

    @Test
    void anExportImportedIntoAnEmptyAccountGivesTheSameTrees() {
        ApiClient alice = server.newUser();
        importAndWait(alice, "conversations.json", fixture("chatgpt-conversations.json"));
        importAndWait(alice, "chats.json", fixture("open-webui-chats.json"));
        importAndWait(alice, "nosso.json", fixture("nosso-export.json"));
        String typed = alice.post("/api/v1/chats", Map.of("title", "Typed here")).expect(201).text("/id");
        String q = alice.post("/api/v1/chats/" + typed + "/messages", Map.of("role", "user", "content", "Olá, mundo"))
                .expect(201).text("/id");
        String cited = alice.post("/api/v1/chats/" + typed + "/messages", Map.of("role", "assistant", "content", "Oi! [1]"))
                .expect(201).text("/id");
        alice.post("/api/v1/chats/" + typed + "/messages", Map.of("role", "assistant", "content", "Olá!",
                "parentId", q)).expect(201);
        server.context().getBean(Messages.class).ground(UUID.fromString(cited), List.of(new Source(1, UUID.randomUUID(),
                "file", UUID.randomUUID(), "notas de viagem.md", null, "Roteiro › Dia 1", "Chegada a São Paulo 🛬", 0.83)));
        String folder = alice.post("/api/v1/folders", Map.of("name", "Viagens ✈️")).expect(201).text("/id");
        alice.patch("/api/v1/chats/" + typed, Map.of("folderId", folder)).expect(200);
        alice.post("/api/v1/chats/" + typed + "/tags", Map.of("name", "férias")).expect(200);
        alice.post("/api/v1/chats/" + typed + "/tags", Map.of("name", "work")).expect(200);
        String imported = chatsByTitle(alice).get("Planejamento da viagem ✈️").path("id").asString();
        alice.patch("/api/v1/chats/" + imported, Map.of("folderId", folder)).expect(200);
        alice.post("/api/v1/chats/" + imported + "/tags", Map.of("name", "work")).expect(200);

        var exported = alice.download("/api/v1/exports?format=json");
        assertThat(exported.statusCode()).isEqualTo(200);
        assertThat(exported.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment")
                .contains("nosso-chats-");
        ApiClient bob = server.newUser();
        JsonNode done = importAndWait(bob, "nosso-chats.json", exported.body());

        assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("done");
        assertThat(done.at("/report/charactersReplaced").asInt()).isZero(); // replaced once, on the way in
        Map<String, String> alices = shapes(alice);
        assertThat(alices).hasSize(6);
        assertThat(alices.get("Typed here")).contains("notas de viagem.md", "Chegada a São Paulo 🛬");
        assertThat(shapes(bob)).isEqualTo(alices);
        Map<String, String> labels = labels(alice);
        assertThat(labels.get("Typed here")).isEqualTo("Viagens ✈️ [férias, work]");
        assertThat(labels.get("Planejamento da viagem ✈️")).isEqualTo("Viagens ✈️ [work]");
        assertThat(labels(bob)).isEqualTo(labels);
        assertThat(bob.get("/api/v1/folders").expect(200).json()).hasSize(1); // one folder of that name, shared
        // Alice importing her own export finds her chats there already.
        assertThat(importAndWait(alice, "nosso-chats.json", exported.body()).at("/report/chatsUnchanged").asInt())
                .isEqualTo(6);
        assertThat(chatsByTitle(alice)).hasSize(6);
    }

    @Test
    void aChatExportsAsMarkdownOfItsShownBranchAndAsJsonOfItsTree() {
        ApiClient alice = server.newUser();
        importAndWait(alice, "conversations.json", fixture("chatgpt-conversations.json"));
        String id = chatsByTitle(alice).get("Receita de pão de queijo").path("id").asString();

        var markdown = alice.download("/api/v1/chats/" + id + "/export?format=markdown");

        assertThat(markdown.statusCode()).isEqualTo(200);
        assertThat(markdown.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/markdown");
        assertThat(markdown.headers().firstValue("Content-Disposition").orElseThrow())
                .contains("attachment").contains(".md");
        String text = new String(markdown.body(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("# Receita de pão de queijo\n").contains("## User\n\nComo faço pão de queijo? 🧀")
                .contains("## Assistant (gpt-4o)").contains("Show me the recipe").doesNotContain("E em inglês?");
        JsonNode json = ApiClient.JSON.readTree(alice.download("/api/v1/chats/" + id + "/export").body());
        assertThat(json.path("format").asString()).isEqualTo("nosso.chats");
        assertThat(json.at("/chats/0/messages").size()).isEqualTo(6);
        // Another user's chat is not found, as any chat that does not exist.
        assertThat(server.newUser().get("/api/v1/chats/" + id + "/export").status()).isEqualTo(404);
        alice.get("/api/v1/chats/" + id + "/export?format=pdf").expectProblem(400, "validation");
    }

    @Test
    void aFileCutShortFailsClearlyKeepsWholeConversationsAndTheWholeFileAddsTheRest() {
        ApiClient alice = server.newUser();
        byte[] whole = fixture("chatgpt-conversations.json");
        String text = new String(whole, StandardCharsets.UTF_8);
        byte[] cut = text.substring(0, text.indexOf("\"ub\": {")).getBytes(StandardCharsets.UTF_8);

        JsonNode failed = importAndWait(alice, "conversations.json", cut);

        assertThat(failed.path("status").asString()).isEqualTo("failed");
        assertThat(failed.path("error").asString()).contains("cut short").contains("1 conversations before it");
        assertThat(failed.at("/report/chatsCreated").asInt()).isEqualTo(1);
        assertThat(chatsByTitle(alice)).containsOnlyKeys("Receita de pão de queijo");
        JsonNode job = alice.get("/api/v1/jobs/" + failed.path("jobId").asString()).expect(200).json();
        assertThat(job.path("state").asString()).isEqualTo("failed");

        JsonNode resumed = importAndWait(alice, "conversations.json", whole);

        assertThat(resumed.at("/report/chatsCreated").asInt()).isEqualTo(1);
        assertThat(resumed.at("/report/chatsUnchanged").asInt()).isEqualTo(1);
        assertThat(chatsByTitle(alice)).containsOnlyKeys("Receita de pão de queijo", "Hello");
    }

    @Test
    void aFileThatIsNotAnExportFailsWithItsReasonAndImportsNothing() {
        ApiClient alice = server.newUser();

        JsonNode notJson = importAndWait(alice, "notes.json", "this is not JSON".getBytes(StandardCharsets.UTF_8));
        JsonNode other = importAndWait(alice, "other.json", "[{\"name\": \"x\"}]".getBytes(StandardCharsets.UTF_8));

        assertThat(notJson.path("status").asString()).isEqualTo("failed");
        assertThat(notJson.path("error").asString()).contains("is not valid JSON (line 1").contains("Nothing was imported");
        assertThat(other.path("error").asString()).contains("is not an export Nosso reads");
        assertThat(chatsByTitle(alice)).isEmpty();
        alice.upload("/api/v1/imports", "empty.json", "application/json", new byte[0], Map.of())
                .expectProblem(422, "empty-file");
        alice.upload("/api/v1/imports", "huge.json", "application/json", new byte[4_100_000], Map.of())
                .expectProblem(413, "import-too-large");
        assertThat(alice.get("/api/v1/imports").expect(200).json().size()).isEqualTo(2);
        assertThat(server.newUser().get("/api/v1/imports/" + other.path("id").asString()).status()).isEqualTo(404);
    }

    @Test
    void importedMessagesReachTheOwnersMemory() {
        ApiClient alice = server.newUser();
        importAndWait(alice, "chat-export.json", fixture("open-webui-chats.json"));

        List<JsonNode> found = Eventually.within(Transfers.WAIT).until(() -> {
            List<JsonNode> results = new ArrayList<>();
            alice.post("/api/v1/search", Map.of("query", "Ibirapuera", "mode", "keyword", "memory", true))
                    .expect(200).at("/results").forEach(results::add);
            return results;
        }, r -> !r.isEmpty());
        assertThat(found.getFirst().path("sourceKind").asString()).isEqualTo("message");
        assertThat(found.getFirst().path("sourceName").asString()).isEqualTo("Planejamento da viagem ✈️");
    }

    private static List<String> texts(JsonNode messages) {
        List<String> texts = new ArrayList<>();
        messages.forEach(m -> texts.add(m.path("content").asString()));
        return texts;
    }

    /** Each chat's folder (by name) and tags, by title. */
    private static Map<String, String> labels(ApiClient client) {
        Map<String, String> folders = new HashMap<>();
        JsonNode list = client.get("/api/v1/folders").expect(200).json();
        (list.isArray() ? list : list.path("items")).forEach(f -> folders.put(f.path("id").asString(), f.path("name").asString()));
        Map<String, String> labels = new LinkedHashMap<>();
        chatsByTitle(client).forEach((title, chat) -> {
            List<String> tags = new ArrayList<>();
            chat.path("tags").forEach(t -> tags.add(t.asString()));
            tags.sort(null);
            labels.put(title, folders.get(chat.path("folderId").asString("")) + " " + tags);
        });
        return labels;
    }

    private static Map<String, String> shapes(ApiClient client) {
        Map<String, String> shapes = new LinkedHashMap<>();
        chatsByTitle(client).forEach((title, chat) -> shapes.put(title, shape(client, chat.path("id").asString())));
        return shapes;
    }
}
