package dev.nosso.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.Eventually;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.TwoNodes;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * An administrator changes connections on node A; node B, whose catalog is cached for a minute, follows
 * within a second, told by a cluster event. The catalog's own refresh is out of reach here: it is a minute,
 * and a model it does not know is fetched again only after five seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionsAcrossNodesTest {

    private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CONNECTIONS = ConnectionApiTest.CONNECTIONS;
    private static final String CHAT_PATH = "/v1/chat/completions";

    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private TwoNodes nodes;
    private ApiClient admin;
    private ApiClient userOnB;

    @BeforeAll
    void startNodes() {
        nodes = TwoNodes.start(Map.of("nosso.models.cache-ttl", "60s",
                "nosso.models.refresh-unknown-after", "5s",
                "nosso.generation.titles", "false"));
        admin = nodes.a().admin();
        userOnB = nodes.b().newUser();
    }

    @AfterAll
    void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
        upstream.close();
    }

    @BeforeEach
    void freshUpstream() {
        upstream.reset();
        upstream.models("m1");
    }

    @AfterEach
    void removeEveryConnection() {
        ConnectionApiTest.deleteAll(admin);
    }

    private String addConnection(String name) {
        return admin.post(CONNECTIONS, ConnectionApiTest.connection("openai", name, upstream.openAiBaseUrl(), null))
                .expect(201).text("/id");
    }

    private boolean bListsM1() {
        for (JsonNode model : userOnB.get("/api/v1/models").expect(200).at("/models")) {
            if ("m1".equals(model.path("id").asString())) {
                return true;
            }
        }
        return false;
    }

    private Response sendOnB(String model) {
        String chat = userOnB.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        return userOnB.post("/api/v1/chats/" + chat + "/messages", Map.of("content", "Hello", "model", model));
    }

    private JsonNode answerOnB(Response sent) {
        String url = "/api/v1/messages/" + sent.text("/assistantMessage/id");
        return Eventually.within(WAIT).until(() -> userOnB.get(url).expect(200).json(),
                m -> !m.path("status").asString().equals("pending") && !m.path("status").asString().equals("streaming"));
    }

    @Test
    void aConnectionAddedOnOneNodeServesTheOtherWithinASecond() {
        assertThat(bListsM1()).isFalse(); // B's catalog is now cached, without the connection

        addConnection("Added");

        Eventually.within(WITHIN_A_SECOND).alias("B lists the new connection's model").until(this::bListsM1);
        assertThat(answerOnB(sendOnB("m1").expect(202)).path("status").asString()).isEqualTo("complete");
    }

    @Test
    void aConnectionDisabledOnOneNodeIsRefusedOnTheOtherWithinASecond() {
        String id = addConnection("Disabled");
        Eventually.within(WAIT).until(this::bListsM1);
        assertThat(answerOnB(sendOnB("m1").expect(202)).path("status").asString()).isEqualTo("complete");
        int chatsBefore = upstream.requests(CHAT_PATH).size();

        admin.patch(CONNECTIONS + "/" + id, Map.of("enabled", false)).expect(200);

        // B's catalog holds the connection until the event reaches it (a turn sent on B in that moment would still
        // be answered through it): within a second B no longer offers the model, and refuses a turn on it.
        Eventually.within(WITHIN_A_SECOND).alias("B no longer offers the disabled connection's model")
                .until(() -> !bListsM1());
        sendOnB("m1").expectProblem(400, "unknown-model");
        assertThat(bListsM1()).isFalse();
        assertThat(upstream.requests(CHAT_PATH)).hasSize(chatsBefore);
    }
}
