package dev.nosso.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.ServerTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** API keys: shown once, listed by prefix, used as Bearer credentials, revoked at once; on both databases. */
class ApiKeyApiTest extends ServerTest {

    private static final String KEYS = "/api/v1/api-keys";


    @Test
    void aNewKeyIsShownOnceAndListedOnlyByItsPrefix() {
        ApiClient user = server.newUser();

        Response created = user.post(KEYS, Map.of("name", "  laptop  ")).expect(201);

        String key = created.text("/key");
        assertThat(key).startsWith("nsk_").hasSize(47);
        assertThat(created.text("/name")).isEqualTo("laptop");
        assertThat(created.text("/prefix")).isEqualTo(key.substring(0, 12));
        JsonNode listed = user.get(KEYS).expect(200).json();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").asString()).isEqualTo(created.text("/id"));
        assertThat(listed.get(0).get("prefix").asString()).isEqualTo(key.substring(0, 12));
        assertThat(listed.get(0).has("createdAt")).isTrue();
        assertThat(listed.get(0).has("key")).isFalse();
        assertThat(listed.toString()).doesNotContain(key);
    }

    @Test
    void aKeyAuthenticatesItsOwnerAndRecordsWhenItWasLastUsed() {
        ApiClient user = server.newUser();
        String key = user.post(KEYS, Map.of("name", "script")).expect(201).text("/key");
        assertThat(user.get(KEYS).expect(200).json().get(0).get("lastUsedAt").isNull()).isTrue();

        ApiClient script = user.withBearer(key);
        script.get(KEYS).expect(200);
        script.get(KEYS).expect(200);

        JsonNode listed = user.get(KEYS).expect(200).json().get(0);
        assertThat(listed.get("lastUsedAt").isNull()).isFalse();
        assertThat(script.get("/api/v1/auth/me").expect(200).text("/email"))
                .isEqualTo(user.get("/api/v1/auth/me").text("/email"));
    }

    @Test
    void aKeyWritesWithoutACsrfTokenAndGetsNoCookies() {
        ApiClient user = server.newUser();
        ApiClient script = user.withBearer(user.post(KEYS, Map.of("name", "script")).expect(201).text("/key"));

        var created = script.post("/api/v1/chats", Map.of("title", "from a script")).expect(201);

        assertThat(created.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(user.get("/api/v1/chats").expect(200).text("/items/0/title")).isEqualTo("from a script");
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceAndLeavesTheList() {
        ApiClient user = server.newUser();
        Response created = user.post(KEYS, Map.of("name", "old")).expect(201);
        ApiClient script = user.withBearer(created.text("/key"));
        script.get(KEYS).expect(200);

        user.delete(KEYS + "/" + created.text("/id")).expect(204);

        script.get(KEYS).expectProblem(401, "invalid-api-key");
        assertThat(user.get(KEYS).expect(200).json()).isEmpty();
        user.delete(KEYS + "/" + created.text("/id")).expectProblem(404, "api-key-not-found");
    }

    @Test
    void anotherUsersKeyLooksExactlyLikeAnUnknownOne() {
        ApiClient alice = server.newUser();
        ApiClient bob = server.newUser();
        Response alicesKey = alice.post(KEYS, Map.of("name", "alice's")).expect(201);

        bob.delete(KEYS + "/" + alicesKey.text("/id")).expectProblem(404, "api-key-not-found");
        bob.delete(KEYS + "/" + UUID.randomUUID()).expectProblem(404, "api-key-not-found");
        bob.delete(KEYS + "/not-a-uuid").expect(404);

        assertThat(bob.get(KEYS).expect(200).json()).isEmpty();
        alice.withBearer(alicesKey.text("/key")).get(KEYS).expect(200);
    }

    @Test
    void aKeyNeedsAName() {
        ApiClient user = server.newUser();

        user.post(KEYS, Map.of("name", " ")).expectProblem(400, "validation");
        user.post(KEYS, Map.of()).expectProblem(400, "validation");
        user.post(KEYS, Map.of("name", "n".repeat(101))).expectProblem(400, "validation");
    }

    @Test
    void aPendingAccountMayNotManageKeysButMaySeeItself() {
        ApiClient user = server.newUser();
        String key = user.post(KEYS, Map.of("name", "before")).expect(201).text("/key");
        String id = user.get("/api/v1/auth/me").expect(200).text("/id");

        server.admin().patch("/api/v1/admin/users/" + id, Map.of("role", "pending")).expect(200);

        user.get(KEYS).expectProblem(403, "account-pending");
        user.post(KEYS, Map.of("name", "more")).expectProblem(403, "account-pending");
        user.withBearer(key).get(KEYS).expectProblem(403, "account-pending");
        user.get("/api/v1/chats").expectProblem(403, "account-pending");
        assertThat(user.get("/api/v1/auth/me").expect(200).text("/role")).isEqualTo("pending");
        user.post("/api/v1/auth/logout", null).expect(204);
    }
}
