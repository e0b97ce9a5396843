package dev.nosso.identity;

import dev.nosso.support.ApiClient;
import dev.nosso.support.TestServer;
import dev.nosso.support.TwoNodes;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What an administrator or a user changes on node A holds on node B with the very next request: sessions,
 * keys, accounts and the sign-up policy are read from the database on every request, never kept by a node.
 * No wait here on purpose: "at once" means the next request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountChangesAcrossNodesTest {

    private static final String ME = AuthenticationApiTest.ME;
    private static final String KEYS = "/api/v1/api-keys";
    private static final String SETTINGS = "/api/v1/admin/settings";

    private TwoNodes nodes;
    private ApiClient adminOnA;

    @BeforeAll
    void startNodes() {
        nodes = TwoNodes.start(Map.of());
        adminOnA = nodes.a().admin();
    }

    @AfterAll
    void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @AfterEach
    void restoreTheTestServersPolicy() {
        adminOnA.patch(SETTINGS, Map.of("signupEnabled", true, "signupDefaultRole", "user")).expect(200);
    }

    @Test
    void anAccountSuspendedOnOneNodeIsRefusedOnTheOtherAtOnce() {
        ApiClient onA = nodes.a().newUser();
        ApiClient onB = onA.at(nodes.b());
        String key = onB.post(KEYS, Map.of("name", "k")).expect(201).text("/key");
        String id = onB.get(ME).expect(200).text("/id");

        adminOnA.patch("/api/v1/admin/users/" + id, Map.of("status", "suspended")).expect(200);

        onB.get(ME).expectProblem(401, "unauthenticated");
        onB.withBearer(key).get(ME).expectProblem(401, "invalid-api-key");
        adminOnA.patch("/api/v1/admin/users/" + id, Map.of("status", "active")).expect(200);
        onB.withBearer(key).get(ME).expect(200);
    }

    @Test
    void aKeyRevokedOnOneNodeIsRefusedOnTheOtherAtOnce() {
        ApiClient onA = nodes.a().newUser();
        var created = onA.post(KEYS, Map.of("name", "k")).expect(201);
        ApiClient keyOnB = onA.at(nodes.b()).withBearer(created.text("/key"));
        keyOnB.get(ME).expect(200);

        onA.delete(KEYS + "/" + created.text("/id")).expect(204);

        keyOnB.get(ME).expectProblem(401, "invalid-api-key");
    }

    @Test
    void aSessionSignedOutOnOneNodeIsRefusedOnTheOtherAtOnce() {
        ApiClient onA = nodes.a().newUser();
        String token = onA.cookie("nosso_session").orElseThrow();
        onA.at(nodes.b()).get(ME).expect(200);

        onA.post(AuthenticationApiTest.LOGOUT, null).expect(204);

        nodes.b().anonymous().send("GET", ME, null, "Cookie", "nosso_session=" + token)
                .expectProblem(401, "unauthenticated");
    }

    @Test
    void aSignUpPolicyChangedOnOneNodeHoldsOnTheOtherAtOnce() {
        adminOnA.patch(SETTINGS, Map.of("signupEnabled", false)).expect(200);

        nodes.b().anonymous().post(AuthenticationApiTest.SIGNUP,
                AuthenticationApiTest.signup(AuthenticationApiTest.newEmail(), TestServer.PASSWORD))
                .expectProblem(403, "signup-disabled");
    }
}
