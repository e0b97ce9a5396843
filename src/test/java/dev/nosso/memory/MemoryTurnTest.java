package dev.nosso.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A turn's question and its streamed answer, once it ends, are remembered like stored messages. */
class MemoryTurnTest extends ServerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ScriptedUpstream upstream = ScriptedUpstream.start();

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                "nosso.ollama.url", upstream.ollamaBaseUrl().toString(),
                "nosso.generation.titles", "false");
    }

    @AfterAll
    void stopUpstream() {
        upstream.close();
    }

    @Test
    void aTurnsQuestionAndFinishedAnswerAreRemembered() {
        upstream.models("m1");
        upstream.reply("m1", Script.tokens("Your locker ", "code is ", "Marzipan42."));
        ApiClient alice = server.newUser();
        String chat = alice.post("/api/v1/chats", Map.of("title", "Gym")).expect(201).text("/id");
        JsonNode started = alice.post("/api/v1/chats/" + chat + "/messages",
                Map.of("content", "Remind me of my Marzipan42 locker code", "model", "m1")).expect(202).json();

        List<JsonNode> found = Eventually.within(WAIT).until(() -> search(alice, "Marzipan42"), r -> r.size() == 2);
        assertThat(found).extracting(r -> r.path("sourceId").asString()).containsExactlyInAnyOrder(
                started.at("/userMessage/id").asString(), started.at("/assistantMessage/id").asString());
    }

    private static List<JsonNode> search(ApiClient client, String query) {
        JsonNode body = client.post("/api/v1/search", Map.of("query", query, "mode", "keyword", "memory", true))
                .expect(200).json();
        List<JsonNode> results = new ArrayList<>();
        body.path("results").forEach(results::add);
        return results;
    }
}
