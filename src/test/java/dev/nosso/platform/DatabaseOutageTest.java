package dev.nosso.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import dev.nosso.support.PostgresCluster;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL stopped under a running server, on a cluster of the test's own: while it is away a request is
 * told so within a few seconds (503 {@code database-unavailable} with {@code Retry-After}), from a controller
 * and from the session look-up before any controller alike, and the health check says {@code DOWN} at once.
 * When it is back the server serves again by itself, nothing acknowledged is lost, and an answer that was
 * streaming across the outage ends {@code complete} with its whole text.
 */
class DatabaseOutageTest {

    private static final Duration TOLD_WITHIN = Duration.ofSeconds(10);

    @Test
    void aStoppedDatabaseIsAnsweredAt503WithRetryAfterAndTheServerRecoversWhenItIsBack() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.start();
             TestDatabase database = TestDatabase.postgresAt(cluster.url());
             ScriptedUpstream upstream = ScriptedUpstream.start()) {
            Script.Gate gate = new Script.Gate();
            upstream.models("m").reply("m", Script.repeat("word ", 200).holdAfter(50, gate));
            try (TestServer server = TestServer.start(database, Map.of(
                    "nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                    "nosso.generation.titles", "false"))) {
                ApiClient alice = server.newUser();
                List<String> acknowledged = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    acknowledged.add(alice.post("/api/v1/chats", Map.of("title", "Kept " + i)).expect(201).text("/id"));
                }
                ApiClient.Response turn = alice.post("/api/v1/chats/" + acknowledged.getFirst() + "/messages",
                        Map.of("content", "Talk across the outage", "model", "m")).expect(202);
                String answerId = turn.text("/assistantMessage/id");
                gate.awaitReached(Duration.ofSeconds(20));

                cluster.stop();

                long start = System.nanoTime();
                ApiClient.Response refused = alice.post("/api/v1/chats", Map.of("title", "Not stored"));
                assertTold(refused, start, "a controller's write");
                start = System.nanoTime();
                assertTold(alice.get("/api/v1/chats"), start, "a controller's read");
                // A session not cached: the look-up before any controller meets the database.
                start = System.nanoTime();
                assertTold(server.anonymous().send("GET", "/api/v1/chats", null, "Cookie", "nosso_session=unknown"),
                        start, "the session look-up");

                // The OpenAI-compatible API says it in OpenAI's error shape, which its clients parse.
                start = System.nanoTime();
                ApiClient.Response openAi = server.anonymous().withBearer("nsk_" + "x".repeat(43)).get("/v1/models");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TOLD_WITHIN);
                assertThat(openAi.status()).as(openAi.body()).isEqualTo(503);
                assertThat(openAi.text("/error/code")).isEqualTo("database_unavailable");
                assertThat(openAi.headers().firstValue("Retry-After")).isPresent();

                start = System.nanoTime();
                ApiClient.Response health = server.anonymous().getAny("/actuator/health");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
                assertThat(health.status()).isEqualTo(503);
                assertThat(health.json().path("status").asString()).isEqualTo("DOWN");

                cluster.startAgain();
                gate.release();

                JsonNode chats = Eventually.within(Duration.ofSeconds(20)).until(
                        () -> alice.get("/api/v1/chats?limit=50"), r -> r.status() == 200).json();
                List<String> listed = new ArrayList<>();
                chats.path("items").forEach(c -> listed.add(c.path("id").asString()));
                assertThat(listed).containsAll(acknowledged);
                assertThat(chats.toString()).doesNotContain("Not stored");
                assertThat(server.anonymous().getAny("/actuator/health").json().path("status").asString())
                        .isEqualTo("UP");
                JsonNode answer = Eventually.within(Duration.ofSeconds(30)).until(
                        () -> alice.get("/api/v1/messages/" + answerId).expect(200).json(),
                        m -> !m.path("status").asString().equals("streaming"));
                assertThat(answer.path("status").asString()).isEqualTo("complete");
                assertThat(answer.path("content").asString()).isEqualTo("word ".repeat(200));
            }
        }
    }

    private static void assertTold(ApiClient.Response response, long startNanos, String what) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        assertThat(took).as(what + " answered after " + took).isLessThan(TOLD_WITHIN);
        response.expectProblem(503, "database-unavailable");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("Retry-After")).as(what).isPresent();
    }
}
