package dev.nosso.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.ServerTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Search over texts indexed through the {@link Indexer} bean, on both databases, with the real embedding
 * model (it loads once per server, on the first index call).
 */
class SearchApiTest extends ServerTest {

    private static final String LIGHTHOUSE = """
            # Island notes
            ## The lighthouse
            The lighthouse keeper feeds Biscuit, her ginger cat, every morning at six before climbing the tower.
            """;
    private static final String REVENUE = "Quarterly revenue grew by twelve percent, driven by subscriptions in Brazil.";
    private static final String PLANTS = "Photosynthesis turns sunlight, water and carbon dioxide into sugar and oxygen.";

    private Indexer indexer() {
        return server.context().getBean(Indexer.class);
    }

    private Retrieval retrieval() {
        return server.context().getBean(Retrieval.class);
    }

    private static UUID idOf(ApiClient user) {
        return UUID.fromString(user.get("/api/v1/auth/me").expect(200).text("/id"));
    }

    private UUID indexFile(UUID owner, String name, String text) {
        UUID id = UUID.randomUUID();
        indexer().index(new SourceText(owner, SourceKind.FILE, id, name, null, text), (done, total) -> { });
        return id;
    }

    private static List<String> sourceNames(ApiClient.Response response) {
        List<String> names = new ArrayList<>();
        for (JsonNode result : response.json().get("results")) {
            names.add(result.get("sourceName").asString());
        }
        return names;
    }

    private static Map<String, Object> body(Object... pairs) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keyword", "vector", "hybrid"})
    void eachModeFindsTheKnownPassageWithItsSourceAndHeadingPath(String mode) {
        ApiClient alice = server.newUser();
        UUID owner = idOf(alice);
        UUID lighthouse = indexFile(owner, "island.md", LIGHTHOUSE);
        indexFile(owner, "report.txt", REVENUE);
        indexFile(owner, "biology.txt", PLANTS);
        String query = mode.equals("keyword") ? "Biscuit ginger cat" : "Who looks after the pet at the lighthouse?";

        ApiClient.Response response = alice.post("/api/v1/search", body("query", query, "mode", mode, "k", 2)).expect(200);

        JsonNode first = response.at("/results/0");
        assertThat(first.get("sourceName").asString()).isEqualTo("island.md");
        assertThat(first.get("sourceId").asString()).isEqualTo(lighthouse.toString());
        assertThat(first.get("sourceKind").asString()).isEqualTo("file");
        assertThat(first.get("headingPath").asString()).isEqualTo("Island notes > The lighthouse");
        assertThat(first.get("text").asString()).contains("Biscuit");
        assertThat(first.get("chatId").isNull()).isTrue();
        assertThat(first.get("chunkId").asString()).isNotBlank();
        assertThat(first.get("score").isNumber()).isTrue();
        assertThat(response.json().get("results").size()).isLessThanOrEqualTo(2);
    }

    @Test
    void anotherUserNeverGetsTheOwnersChunksInAnyMode() {
        ApiClient alice = server.newUser();
        ApiClient bob = server.newUser();
        indexFile(idOf(alice), "island.md", LIGHTHOUSE);
        indexFile(idOf(bob), "bob.txt", PLANTS);

        for (String mode : List.of("keyword", "vector", "hybrid")) {
            ApiClient.Response response = bob.post("/api/v1/search",
                    body("query", "lighthouse keeper Biscuit cat", "mode", mode, "k", 50)).expect(200);
            assertThat(sourceNames(response)).as(mode).doesNotContain("island.md").allMatch("bob.txt"::equals);
        }
    }

    @Test
    void indexingAgainReplacesAndForgetRemoves() {
        ApiClient alice = server.newUser();
        UUID owner = idOf(alice);
        UUID file = indexFile(owner, "island.md", LIGHTHOUSE);
        List<int[]> progress = new ArrayList<>();

        int count = indexer().index(new SourceText(owner, SourceKind.FILE, file, "island.md", null, LIGHTHOUSE),
                (done, total) -> progress.add(new int[] {done, total}));

        assertThat(count).isEqualTo(1);
        assertThat(progress.getLast()).containsExactly(1, 1);
        assertThat(alice.post("/api/v1/search", body("query", "Biscuit", "mode", "keyword")).expect(200)
                .json().get("results").size()).isEqualTo(1);

        indexer().forget(owner, SourceKind.FILE, file);

        for (String mode : List.of("keyword", "vector", "hybrid")) {
            assertThat(sourceNames(alice.post("/api/v1/search", body("query", "Biscuit the cat", "mode", mode))
                    .expect(200))).as(mode).isEmpty();
        }
    }

    @Test
    void fileIdsMemoryAndFilesFiltersLimitTheSources() {
        ApiClient alice = server.newUser();
        UUID owner = idOf(alice);
        UUID island = indexFile(owner, "island.md", LIGHTHOUSE);
        indexFile(owner, "report.txt", REVENUE);
        UUID chat = UUID.randomUUID();
        indexer().index(new SourceText(owner, SourceKind.MESSAGE, UUID.randomUUID(), "a message", chat,
                "Remember that the lighthouse cat Biscuit hates rain."), (d, t) -> { });

        assertThat(sourceNames(alice.post("/api/v1/search", body("query", "Biscuit lighthouse", "mode", "hybrid"))
                .expect(200))).containsExactlyInAnyOrder("island.md", "a message", "report.txt");
        // Through the service: the API checks fileIds against the caller's files, and these sources have none.
        assertThat(retrieval().search(owner, new SearchRequest("Biscuit lighthouse", 10, SearchMode.VECTOR,
                new Scope(true, List.of(island), false, null)))).extracting(Passage::sourceName).containsExactly("island.md");
        assertThat(sourceNames(alice.post("/api/v1/search",
                body("query", "Biscuit lighthouse", "mode", "keyword", "fileIds", List.of()))
                .expect(200))).containsExactly("a message");

        List<Passage> memoryOnly = retrieval().search(owner,
                new SearchRequest("Biscuit lighthouse", 10, SearchMode.HYBRID,
                        new Scope(false, null, true, List.of(chat))));
        assertThat(memoryOnly).singleElement().satisfies(p -> {
            assertThat(p.sourceKind()).isEqualTo(SourceKind.MESSAGE);
            assertThat(p.chatId()).isEqualTo(chat);
        });
        assertThat(retrieval().search(owner, new SearchRequest("Biscuit", 10, SearchMode.VECTOR,
                new Scope(false, null, true, List.of(UUID.randomUUID()))))).isEmpty();

        indexer().forgetAll(owner, SourceKind.MESSAGE);
        assertThat(sourceNames(alice.post("/api/v1/search", body("query", "Biscuit lighthouse")).expect(200)))
                .doesNotContain("a message");
    }

    // More of the crowd's chunks lie nearer the query than PostgreSQL's HNSW search breadth (ef_search 100):
    // the graph walk has to go on past them (iterative scans) to reach the few's.
    @Test
    void aUserWithFewChunksAmongManyOfAnotherStillGetsK() {
        ApiClient crowd = server.newUser();
        ApiClient few = server.newUser();
        UUID crowdId = idOf(crowd);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            many.append("# Section ").append(i).append("\nNotes about lighthouses, cats and the sea, number ")
                    .append(i).append(".\n");
        }
        indexFile(crowdId, "crowd.md", many.toString());
        UUID fewId = idOf(few);
        indexFile(fewId, "one.txt", REVENUE);
        indexFile(fewId, "two.txt", PLANTS);
        indexFile(fewId, "three.txt", "Recipes for bread need flour, water, salt and time.");

        for (String mode : List.of("vector", "hybrid")) {
            assertThat(sourceNames(few.post("/api/v1/search",
                    body("query", "lighthouse cats at sea", "mode", mode, "k", 3)).expect(200)))
                    .as(mode).containsExactlyInAnyOrder("one.txt", "two.txt", "three.txt");
        }
    }

    @Test
    void everyPostgresConnectionSearchesTheGraphWideEnoughAndIteratively() {
        Assumptions.assumeTrue(dialect == Dialect.POSTGRESQL, "session settings are PostgreSQL's");
        JdbcTemplate jdbc = server.context().getBean(JdbcTemplate.class);
        // Several connections at once, so that more than one of the pool's is asked.
        List<String> seen = IntStream.range(0, 4).parallel()
                .mapToObj(i -> jdbc.queryForObject(
                        "SELECT current_setting('hnsw.ef_search') || ' ' || current_setting('hnsw.iterative_scan')",
                        String.class))
                .toList();
        assertThat(seen).containsOnly("100 relaxed_order");
    }

    @Test
    void badInputIsAProblemNotAnError() {
        ApiClient alice = server.newUser();

        alice.post("/api/v1/search", body("query", "")).expectProblem(400, "empty-query");
        alice.post("/api/v1/search", body("query", "?! ...")).expectProblem(400, "empty-query");
        alice.post("/api/v1/search", body("k", 3)).expectProblem(400, "empty-query");
        alice.post("/api/v1/search", body("query", "cats", "k", 0)).expectProblem(400, "invalid-k");
        alice.post("/api/v1/search", body("query", "cats", "k", 51)).expectProblem(400, "invalid-k");
        alice.post("/api/v1/search", body("query", "cats", "mode", "fuzzy")).expectProblem(400, "invalid-mode");
        alice.post("/api/v1/search", body("query", "cats".repeat(1001))).expectProblem(400, "query-too-long");
        assertThat(alice.post("/api/v1/search", body("query", "nothing indexed yet")).expect(200)
                .json().get("results").size()).isZero();
        server.anonymous().post("/api/v1/search", body("query", "cats")).expect(401);
    }
}
