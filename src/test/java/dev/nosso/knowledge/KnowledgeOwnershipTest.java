package dev.nosso.knowledge;

import static dev.nosso.knowledge.Ingestion.upload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ServerTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * For every file, collection and job route that takes an id, another user gets what they would get for an
 * id that does not exist — 404 — and nothing of the owner's changes.
 */
class KnowledgeOwnershipTest extends ServerTest {

    record Route(String method, String path, Object body) {
    }

    @Test
    void anotherUserGets404OnEveryIdBearingRouteAndChangesNothing() {
        ApiClient alice = server.newUser();
        ApiClient bob = server.newUser();
        ApiClient.Response file = upload(alice, "secret.md", "text/markdown", Documents.markdown("Secret", "secret plans"))
                .expect(201);
        String fileId = file.text("/id");
        String jobId = file.text("/jobId");
        String collection = alice.post("/api/v1/collections", Map.of("name", "secret shelf")).expect(201).text("/id");
        alice.post("/api/v1/collections/" + collection + "/files", Map.of("fileIds", List.of(fileId))).expect(200);
        String bobsCollection = bob.post("/api/v1/collections", Map.of("name", "bob's")).expect(201).text("/id");
        String bobsFile = upload(bob, "bob.txt", "text/plain", Documents.text("bob's own")).expect(201).text("/id");
        String alicesChat = alice.post("/api/v1/chats", Map.of("title", "secret chat")).expect(201).text("/id");
        alice.post("/api/v1/chats/" + alicesChat + "/files", Map.of("fileIds", List.of(fileId))).expect(200);
        String bobsChat = bob.post("/api/v1/chats", Map.of()).expect(201).text("/id");

        List<Route> routes = List.of(
                new Route("GET", "/api/v1/files/" + fileId, null),
                new Route("GET", "/api/v1/files/" + fileId + "/content", null),
                new Route("DELETE", "/api/v1/files/" + fileId, null),
                new Route("GET", "/api/v1/jobs/" + jobId, null),
                new Route("GET", "/api/v1/jobs/" + jobId + "/events", null),
                new Route("GET", "/api/v1/collections/" + collection, null),
                new Route("PATCH", "/api/v1/collections/" + collection, Map.of("name", "stolen")),
                new Route("DELETE", "/api/v1/collections/" + collection, null),
                new Route("POST", "/api/v1/collections/" + collection + "/files", Map.of("fileIds", List.of(bobsFile))),
                new Route("DELETE", "/api/v1/collections/" + collection + "/files/" + fileId, null),
                new Route("POST", "/api/v1/collections/" + bobsCollection + "/files", Map.of("fileIds", List.of(fileId))),
                new Route("DELETE", "/api/v1/collections/" + bobsCollection + "/files/" + fileId, null),
                new Route("GET", "/api/v1/chats/" + alicesChat + "/files", null),
                new Route("POST", "/api/v1/chats/" + alicesChat + "/files", Map.of("fileIds", List.of(bobsFile))),
                new Route("DELETE", "/api/v1/chats/" + alicesChat + "/files/" + fileId, null),
                new Route("POST", "/api/v1/chats/" + bobsChat + "/files", Map.of("fileIds", List.of(fileId))),
                new Route("DELETE", "/api/v1/chats/" + bobsChat + "/files/" + fileId, null));

        for (Route route : routes) {
            ApiClient.Response response = bob.send(route.method(), route.path(), route.body(), "Accept", "*/*");
            assertThat(response.status()).as(route.method() + " " + route.path() + ": " + response.body()).isEqualTo(404);
            assertThat(response.text("/type")).as(route.path()).startsWith("urn:nosso:problem:").endsWith("-not-found");
            assertThat(response.body()).as(route.path()).doesNotContain("secret");
        }
        bob.upload("/api/v1/files", "x.txt", "text/plain", Documents.text("x"), Map.of("collectionId", collection))
                .expectProblem(404, "collection-not-found");
        bob.upload("/api/v1/files", "y.txt", "text/plain", Documents.text("y"), Map.of("chatId", alicesChat))
                .expectProblem(404, "chat-not-found");
        assertThat(bob.get("/api/v1/files").expect(200).body()).doesNotContain(fileId);
        Ingestion.awaitEnd(alice, fileId, java.time.Duration.ofSeconds(60));
        assertThat(alice.post("/api/v1/search", Map.of("query", "plans", "mode", "keyword")).expect(200)
                .at("/results").size()).isPositive();
        for (String mode : List.of("keyword", "vector", "hybrid")) {
            assertThat(bob.post("/api/v1/search", Map.of("query", "secret plans", "mode", mode)).expect(200)
                    .body()).as(mode).doesNotContain(fileId).doesNotContain("secret plans");
        }
        assertThat(bob.get("/api/v1/collections").expect(200).body()).doesNotContain(collection);
        // The same bytes as Alice's make a new file of Bob's, telling him nothing about hers.
        ApiClient.Response same = upload(bob, "mine.md", "text/markdown", Documents.markdown("Secret", "secret plans"))
                .expect(201);
        assertThat(same.text("/id")).isNotEqualTo(fileId);

        assertThat(alice.get("/api/v1/files/" + fileId).expect(200).text("/name")).isEqualTo("secret.md");
        ApiClient.Response shelf = alice.get("/api/v1/collections/" + collection).expect(200);
        assertThat(shelf.text("/name")).isEqualTo("secret shelf");
        assertThat(shelf.json().path("files").findValuesAsString("id")).containsExactly(fileId);
        alice.get("/api/v1/jobs/" + jobId).expect(200);
        assertThat(alice.get("/api/v1/chats/" + alicesChat + "/files").expect(200).json().findValuesAsString("id"))
                .containsExactly(fileId);
    }
}
