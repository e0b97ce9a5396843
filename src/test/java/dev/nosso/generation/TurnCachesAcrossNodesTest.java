package dev.nosso.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.SseStream;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two nodes on one PostgreSQL database, each keeping chat settings and preferences in memory: a change made on
 * one node reaches the other's next turn within a second, though the other had read them a moment before.
 */
class TurnCachesAcrossNodesTest {

    private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aChangeOnOneNodeReachesTheOthersNextTurnWithinASecond() {
        try (TestDatabase database = TestDatabase.fresh(Dialect.POSTGRESQL);
             ScriptedUpstream upstream = ScriptedUpstream.start()) {
            upstream.models("m1").defaultReply(Script.tokens("Fine", "."));
            Map<String, Object> settings = Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                    "nosso.generation.titles", "false",
                    "nosso.secret-key", "c2hhcmVkLWJ5LWJvdGgtbm9kZXMtb2YtdGhlLXRlc3Q=");
            try (TestServer a = TestServer.start(database, settings);
                 TestServer b = TestServer.start(database, settings)) {
                ApiClient onA = a.newUser();
                ApiClient onB = onA.at(b.baseUrl());
                String chat = onA.post("/api/v1/chats", Map.of()).expect(201).text("/id");
                turn(onB, upstream, chat, "m1");
                assertThat(systemPrompt(turn(onB, upstream, chat, null))).isNull(); // B holds the settings now

                onA.patch("/api/v1/chats/" + chat, Map.of("systemPrompt", "Set on A.")).expect(200);
                Eventually.within(WITHIN_A_SECOND).alias("B's next turn sends the chat's new prompt")
                        .until(() -> "Set on A.".equals(systemPrompt(turn(onB, upstream, chat, null))));

                String other = onA.post("/api/v1/chats", Map.of()).expect(201).text("/id");
                turn(onB, upstream, other, "m1"); // B holds the preferences too
                onA.patch("/api/v1/preferences", Map.of("systemPrompt", "Preferred on A.")).expect(200);
                Eventually.within(WITHIN_A_SECOND).alias("B's next turn sends the new preference")
                        .until(() -> "Preferred on A.".equals(systemPrompt(turn(onB, upstream, other, null))));
            }
        }
    }

    private static JsonNode turn(ApiClient client, ScriptedUpstream upstream, String chat, String model) {
        Map<String, Object> body = model == null ? Map.of("content", "Hi") : Map.of("content", "Hi", "model", model);
        try (SseStream stream = client.streamPost("/api/v1/chats/" + chat + "/messages", body)) {
            stream.untilEnd(WAIT);
        }
        return upstream.lastChat().json();
    }

    private static String systemPrompt(JsonNode request) {
        JsonNode first = request.at("/messages/0");
        return first.path("role").asString().equals("system") ? first.path("content").asString() : null;
    }
}
