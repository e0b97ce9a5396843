package dev.nosso.identity;

import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.Eventually;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database, each caching who a credential stands for: revoking a key, signing out
 * and suspending an account on one node are refused on the other within a second, though the other had the
 * credential cached a moment before.
 */
class IdentityAcrossNodesTest {

    private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);
    private static final String ME = "/api/v1/auth/me";

    @Test
    void aChangeOnOneNodeIsRefusedOnTheOtherWithinASecond() {
        try (TestDatabase database = TestDatabase.fresh(Dialect.POSTGRESQL);
             TestServer a = TestServer.start(database);
             TestServer b = TestServer.start(database)) {
            ApiClient user = a.newUser();
            String id = user.get(ME).expect(200).text("/id");
            String email = user.get(ME).text("/email");
            Response key = user.post("/api/v1/api-keys", Map.of("name", "k")).expect(201);
            ApiClient sessionOnB = user.at(b.baseUrl());
            ApiClient keyOnB = b.anonymous().withBearer(key.text("/key"));
            sessionOnB.get(ME).expect(200); // both now cached on B
            keyOnB.get(ME).expect(200);

            user.delete("/api/v1/api-keys/" + key.text("/id")).expect(204);
            Eventually.within(WITHIN_A_SECOND).until(() -> keyOnB.get(ME).status() == 401);
            sessionOnB.get(ME).expect(200);

            user.post("/api/v1/auth/logout", Map.of()).expect(204);
            Eventually.within(WITHIN_A_SECOND).until(() -> sessionOnB.get(ME).status() == 401);

            ApiClient again = b.anonymous().login(email, TestServer.PASSWORD);
            again.get(ME).expect(200);
            a.admin().patch("/api/v1/admin/users/" + id, Map.of("status", "suspended")).expect(200);
            Eventually.within(WITHIN_A_SECOND).until(() -> again.get(ME).status() == 401);
        }
    }
}
