package dev.nosso.identity;

import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import dev.nosso.support.TestServer;
import dev.nosso.support.TwoNodes;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What an administrator changes on node A holds on node B: the sign-up policy is read from the database on
 * every request, so with the very next one; an account's role is cached with its credentials, and follows
 * within a second. (Sign-out, revoked keys and suspension: {@link IdentityAcrossNodesTest}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountChangesAcrossNodesTest {

    private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);
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
    void aSignUpPolicyChangedOnOneNodeHoldsOnTheOtherWithTheNextRequest() {
        adminOnA.patch(SETTINGS, Map.of("signupEnabled", false)).expect(200);

        nodes.b().anonymous().post(AuthenticationApiTest.SIGNUP,
                AuthenticationApiTest.signup(AuthenticationApiTest.newEmail(), TestServer.PASSWORD))
                .expectProblem(403, "signup-disabled");
    }

    @Test
    void anAccountSentBackToPendingOnOneNodeLosesItsAccessOnTheOtherWithinASecond() {
        ApiClient onB = nodes.b().newUser();
        String id = onB.get(AuthenticationApiTest.ME).expect(200).text("/id");
        onB.get("/api/v1/api-keys").expect(200); // now cached on B as an approved user

        adminOnA.patch("/api/v1/admin/users/" + id, Map.of("role", "pending")).expect(200);

        Eventually.within(WITHIN_A_SECOND).alias("B refuses the pending account")
                .until(() -> onB.get("/api/v1/api-keys").status() == 403);
        onB.get("/api/v1/api-keys").expectProblem(403, "account-pending");
    }
}
