package dev.nosso.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.SseStream;
import dev.nosso.support.SseStream.Event;
import dev.nosso.support.TwoNodes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An administrator on node A suspends a user whose answer node B generates and streams: B hears it (a cluster
 * event) and stops the answer, so the user's stream on B closes within moments.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuspendedStreamAcrossNodesTest {

    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private TwoNodes nodes;

    @BeforeAll
    void startNodes() {
        upstream.models("slow");
        upstream.reply("slow", Script.repeat("word ", 500).delay(Duration.ofMillis(20))); // about 10 s
        nodes = TwoNodes.start(Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                "nosso.generation.titles", "false"));
    }

    @AfterAll
    void stop() {
        if (nodes != null) {
            nodes.close();
        }
        upstream.close();
    }

    @Test
    void aSuspensionOnOneNodeClosesTheUsersStreamOnTheOther() {
        ApiClient adminOnA = nodes.a().admin();
        ApiClient onB = nodes.b().newUser();
        String userId = onB.get("/api/v1/auth/me").expect(200).text("/id");
        String chat = onB.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        var sent = onB.post("/api/v1/chats/" + chat + "/messages", Map.of("content", "talk", "model", "slow"))
                .expect(202);

        List<Event> ended;
        try (SseStream stream = onB.stream(sent.text("/streamUrl"))) {
            stream.deltasUntil(50, Duration.ofSeconds(10));
            adminOnA.patch("/api/v1/admin/users/" + userId, Map.of("status", "suspended")).expect(200);
            ended = stream.untilClosed(Duration.ofSeconds(2));
        }

        assertThat(ended.getLast().name()).isEqualTo("done");
        assertThat(ended.getLast().data().path("status").asString()).isEqualTo("cancelled");
    }
}
