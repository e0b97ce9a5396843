package dev.nosso.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import dev.nosso.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Embeddings from a model server instead of the in-process model, and what happens when the model changes:
 * the stored chunks are re-embedded by a job, and search meanwhile never compares vectors of two models.
 * The scripted upstream embeds texts as hashed bags of words, so texts that share words are near.
 */
class RemoteEmbeddingTest extends ServerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PASSAGE = "The ferry to Gull Island leaves from pier nine at noon.";

    private final ScriptedUpstream upstream = ScriptedUpstream.start();

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.retrieval.embedding-provider", "openai", "nosso.retrieval.embedding-model", "embed-1",
                "nosso.openai.base-url", upstream.openAiBaseUrl().toString(), "nosso.openai.api-key", "sk-embed");
    }

    @AfterAll
    void stopUpstream() {
        upstream.close();
    }

    @Test
    void aRemoteModelEmbedsFilesAndQueriesAndAChangeOfModelReembedsEverything() throws Exception {
        upstream.reset();
        ApiClient alice = server.newUser();
        String email = alice.get("/api/v1/auth/me").expect(200).text("/email");
        String file = alice.upload("/api/v1/files", "ferry.txt", "text/plain",
                (PASSAGE + "\n\nThe harbour master keeps the timetable.").getBytes(StandardCharsets.UTF_8), Map.of())
                .expect(201).text("/id");
        awaitReady(alice, file);

        var embedded = upstream.requests("/v1/embeddings");
        assertThat(embedded).isNotEmpty();
        assertThat(embedded.getFirst().model()).isEqualTo("embed-1");
        assertThat(embedded.getFirst().headers().get("authorization")).containsExactly("Bearer sk-embed");
        assertThat(embedded.getFirst().json().path("input").get(0).asString()).contains("pier nine");
        assertThat(models()).containsExactly("openai:embed-1");
        assertThat(vectorSearch(alice, "which pier does the ferry leave from")).contains("pier nine");
        assertThat(upstream.requests("/v1/embeddings").getLast().json().path("input").get(0).asString())
                .isEqualTo("which pier does the ferry leave from");

        // Another model, of another vector length, on Ollama: the stored chunks are re-embedded by a job.
        upstream.embeddingDimensions(48);
        server = server.restart(Map.of("nosso.retrieval.embedding-provider", "ollama",
                "nosso.retrieval.embedding-model", "embed-2", "nosso.ollama.url", upstream.ollamaBaseUrl().toString(),
                "nosso.retrieval.query-prefix", "search_query: "));
        Eventually.within(WAIT).until(this::models, List.of("ollama:embed-2")::equals); // all re-embedded
        assertThat(upstream.requests("/api/embed").getFirst().model()).isEqualTo("embed-2");
        alice = server.anonymous().login(email, TestServer.PASSWORD);
        assertThat(vectorSearch(alice, "which pier does the ferry leave from")).contains("pier nine");
        assertThat(upstream.requests("/api/embed").getLast().json().path("input").get(0).asString())
                .isEqualTo("search_query: which pier does the ferry leave from");
        if (dialect == Dialect.POSTGRESQL) {
            Eventually.within(WAIT).until(this::validIndexes, built -> built.size() == 1); // embed-2's HNSW index
            assertThat(validIndexes().getFirst()).contains("((embedding)::halfvec(48))", "'ollama:embed-2'",
                    "m='12'", "ef_construction='64'");
            assertThat(strings("SELECT pg_get_indexdef('chunks_embedding_384_half'::regclass)").getFirst())
                    .contains("m='12'", "ef_construction='64'");
        }

        // Back to the in-process model, whose vectors are 384 long.
        server = server.restart(Map.of());
        Eventually.within(WAIT).until(this::models, List.of("bge-small-en-v15-q")::equals); // re-embedded here
        alice = server.anonymous().login(email, TestServer.PASSWORD);
        assertThat(vectorSearch(alice, "which pier does the ferry leave from")).contains("pier nine");
        if (dialect == Dialect.POSTGRESQL) {
            Eventually.within(WAIT).until(this::validIndexes, List::isEmpty); // the unused index dropped
        }
        server = server.restart(Map.of("nosso.retrieval.embedding-provider", "ollama",
                "nosso.retrieval.embedding-model", "embed-2", "nosso.ollama.url", upstream.ollamaBaseUrl().toString()));
        Eventually.within(WAIT).until(this::models, List.of("ollama:embed-2")::equals); // re-embedded again
        alice = server.anonymous().login(email, TestServer.PASSWORD);

        // While the model server fails, vector search says so and hybrid falls back to keywords.
        upstream.fail("/api/embed", 503, "{\"error\":\"model is loading\"}");
        alice.post("/api/v1/search", Map.of("query", "pier", "mode", "vector"))
                .expectProblem(503, "embedding-unavailable");
        JsonNode hybrid = alice.post("/api/v1/search", Map.of("query", "pier", "mode", "hybrid")).expect(200).json();
        assertThat(hybrid.at("/results/0/text").asString()).contains("pier nine");
    }

    private void awaitReady(ApiClient client, String fileId) {
        Eventually.within(WAIT).until(() -> client.get("/api/v1/files/" + fileId).expect(200).text("/status"),
                "ready"::equals);
    }

    private static String vectorSearch(ApiClient client, String query) {
        return client.post("/api/v1/search", Map.of("query", query, "mode", "vector", "k", 1)).expect(200)
                .at("/results/0/text").asString();
    }

    private List<String> models() {
        return strings("SELECT DISTINCT embedding_model FROM chunks ORDER BY 1");
    }

    private List<String> validIndexes() {
        return strings("""
                SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                 WHERE i.indrelid = 'chunks'::regclass AND i.indisvalid AND c.relname LIKE 'chunks_embedding_%'
                   AND c.relname <> 'chunks_embedding_384_half'
                """);
    }

    private List<String> strings(String sql) {
        try (Connection c = database.connect(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet rs = s.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
