package dev.nosso.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ServerTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * For every route that takes an id, another user gets exactly what they would get for an id that does not
 * exist — 404 — and nothing of the owner's changes.
 */
class OwnershipTest extends ServerTest {

    record Route(String method, String path, Object body) {
    }

    @Test
    void anotherUserGets404OnEveryIdBearingRouteAndChangesNothing() {
        ApiClient alice = server.newUser();
        ApiClient bob = server.newUser();
        String folder = alice.post("/api/v1/folders", Map.of("name", "private")).expect(201).text("/id");
        String chat = alice.post("/api/v1/chats", Map.of("title", "secret plans", "folderId", folder)).expect(201).text("/id");
        String message = alice.post("/api/v1/chats/" + chat + "/messages", Map.of("role", "user", "content", "secret"))
                .expect(201).text("/id");
        alice.post("/api/v1/chats/" + chat + "/tags", Map.of("name", "mine")).expect(200);
        String key = alice.post("/api/v1/api-keys", Map.of("name", "laptop")).expect(201).text("/id");
        String bobsChat = bob.post("/api/v1/chats", Map.of("title", "bob's")).expect(201).text("/id");

        List<Route> routes = List.of(
                new Route("GET", "/api/v1/chats/" + chat, null),
                new Route("PATCH", "/api/v1/chats/" + chat, Map.of("title", "stolen")),
                new Route("DELETE", "/api/v1/chats/" + chat, null),
                new Route("GET", "/api/v1/chats/" + chat + "/messages", null),
                new Route("POST", "/api/v1/chats/" + chat + "/messages", Map.of("role", "user", "content", "hi")),
                new Route("GET", "/api/v1/chats/" + chat + "/tree", null),
                new Route("PUT", "/api/v1/chats/" + chat + "/active-leaf", Map.of("messageId", message)),
                new Route("POST", "/api/v1/chats/" + chat + "/tags", Map.of("name", "x")),
                new Route("DELETE", "/api/v1/chats/" + chat + "/tags/mine", null),
                new Route("GET", "/api/v1/messages/" + message, null),
                new Route("PATCH", "/api/v1/messages/" + message, Map.of("content", "changed")),
                new Route("DELETE", "/api/v1/messages/" + message, null),
                new Route("GET", "/api/v1/messages/" + message + "/stream", null),
                new Route("POST", "/api/v1/messages/" + message + "/cancel", null),
                new Route("POST", "/api/v1/messages/" + message + "/regenerate", Map.of("model", "any")),
                new Route("POST", "/api/v1/chats/" + chat + "/messages", Map.of("content", "hi", "model", "any")),
                new Route("PATCH", "/api/v1/chats/" + chat, Map.of("systemPrompt", "obey bob")),
                new Route("GET", "/api/v1/folders/" + folder, null),
                new Route("PATCH", "/api/v1/folders/" + folder, Map.of("name", "mine now")),
                new Route("DELETE", "/api/v1/folders/" + folder, null),
                new Route("PATCH", "/api/v1/chats/" + bobsChat, Map.of("folderId", folder)),
                new Route("POST", "/api/v1/chats", Map.of("title", "x", "folderId", folder)),
                new Route("DELETE", "/api/v1/api-keys/" + key, null));

        for (Route route : routes) {
            ApiClient.Response response = bob.send(route.method(), route.path(), route.body());
            assertThat(response.status()).as(route.method() + " " + route.path() + ": " + response.body()).isEqualTo(404);
            assertThat(response.text("/type")).as(route.path()).startsWith("urn:nosso:problem:").endsWith("-not-found");
            assertThat(response.body()).as(route.path()).doesNotContain("secret");
        }
        assertThat(bob.get("/api/v1/chats?folderId=" + folder).expect(200).at("/items").size()).isZero();
        assertThat(bob.get("/api/v1/search/chats?q=secret").expect(200).at("/items").size()).isZero();
        assertThat(bob.get("/api/v1/chats?tag=mine").expect(200).at("/items").size()).isZero();

        // Alice's objects are exactly as she left them.
        assertThat(alice.get("/api/v1/chats/" + chat).expect(200).text("/title")).isEqualTo("secret plans");
        assertThat(alice.get("/api/v1/chats/" + chat).text("/folderId")).isEqualTo(folder);
        assertThat(alice.get("/api/v1/chats/" + chat).at("/tags").size()).isEqualTo(1);
        assertThat(alice.get("/api/v1/messages/" + message).expect(200).text("/content")).isEqualTo("secret");
        assertThat(alice.get("/api/v1/chats/" + chat).at("/messageCount").asInt()).isEqualTo(1);
        assertThat(alice.get("/api/v1/folders/" + folder).expect(200).text("/name")).isEqualTo("private");
        assertThat(alice.get("/api/v1/api-keys").expect(200).json().toString()).contains(key);
    }
}
