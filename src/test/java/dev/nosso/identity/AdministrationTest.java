package dev.nosso.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.ServerTest;
import dev.nosso.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import tools.jackson.databind.JsonNode;

/** What administrators do: approve, promote, suspend, and set the sign-up policy; on both databases. */
class AdministrationTest extends ServerTest {

    private static final String USERS = "/api/v1/admin/users";
    private static final String SETTINGS = "/api/v1/admin/settings";

    private ApiClient admin;

    @BeforeParameterizedClassInvocation
    void signIn() {
        admin = server.admin();
    }

    @AfterEach
    void restoreTheTestServersPolicy() {
        admin.patch(SETTINGS, Map.of("signupEnabled", true, "signupDefaultRole", "user")).expect(200);
    }

    private static String idOf(ApiClient client) {
        return client.get("/api/v1/auth/me").expect(200).text("/id");
    }

    @Test
    void theSignUpPolicyStartsFromTheConfiguration() {
        Response policy = admin.get(SETTINGS).expect(200);

        assertThat(policy.at("/signupEnabled").asBoolean()).isTrue();
        assertThat(policy.text("/signupDefaultRole")).isEqualTo("user");
    }

    @Test
    void aNewAccountWaitsAsPendingUntilAnAdministratorApprovesIt() {
        admin.patch(SETTINGS, Map.of("signupDefaultRole", "pending")).expect(200);
        String email = AuthenticationApiTest.newEmail();
        ApiClient newcomer = server.anonymous();

        Response created = newcomer.post("/api/v1/auth/signup",
                AuthenticationApiTest.signup(email, TestServer.PASSWORD)).expect(201);
        newcomer.login(email, TestServer.PASSWORD);

        assertThat(created.text("/role")).isEqualTo("pending");
        assertThat(newcomer.get("/api/v1/auth/me").expect(200).text("/role")).isEqualTo("pending");
        newcomer.get("/api/v1/api-keys").expectProblem(403, "account-pending");
        JsonNode waiting = admin.get(USERS + "?role=pending").expect(200).at("/items");
        assertThat(waiting).extracting(u -> u.get("email").asString()).contains(email);

        Response approved = admin.patch(USERS + "/" + created.text("/id"), Map.of("role", "user")).expect(200);

        assertThat(approved.text("/role")).isEqualTo("user");
        newcomer.get("/api/v1/api-keys").expect(200); // the same session, now approved
    }

    @Test
    void withSignUpTurnedOffNoAccountIsCreated() {
        Response policy = admin.patch(SETTINGS, Map.of("signupEnabled", false)).expect(200);
        assertThat(policy.at("/signupEnabled").asBoolean()).isFalse();
        assertThat(policy.text("/signupDefaultRole")).isEqualTo("user");
        String email = AuthenticationApiTest.newEmail();

        server.anonymous().post("/api/v1/auth/signup", AuthenticationApiTest.signup(email, TestServer.PASSWORD))
                .expectProblem(403, "signup-disabled");

        server.anonymous().post("/api/v1/auth/login", Map.of("email", email, "password", TestServer.PASSWORD))
                .expectProblem(401, "invalid-credentials");
    }

    @Test
    void signUpCanNeverMakeAdministrators() {
        admin.patch(SETTINGS, Map.of("signupDefaultRole", "admin")).expectProblem(400, "validation");

        assertThat(admin.get(SETTINGS).expect(200).text("/signupDefaultRole")).isEqualTo("user");
    }

    @Test
    void suspendingAnAccountRefusesItsSessionAndItsKeysAtOnce() {
        ApiClient user = server.newUser();
        String email = user.get("/api/v1/auth/me").text("/email");
        String key = user.post("/api/v1/api-keys", Map.of("name", "k")).expect(201).text("/key");
        String id = idOf(user);

        Response suspended = admin.patch(USERS + "/" + id, Map.of("status", "suspended")).expect(200);

        assertThat(suspended.text("/status")).isEqualTo("suspended");
        user.get("/api/v1/auth/me").expectProblem(401, "unauthenticated");
        user.withBearer(key).get("/api/v1/auth/me").expectProblem(401, "invalid-api-key");
        server.anonymous().post("/api/v1/auth/login", Map.of("email", email, "password", TestServer.PASSWORD))
                .expectProblem(401, "account-suspended");

        admin.patch(USERS + "/" + id, Map.of("status", "active")).expect(200);

        user.withBearer(key).get("/api/v1/auth/me").expect(200); // keys survive a suspension
        user.get("/api/v1/auth/me").expectProblem(401, "unauthenticated"); // sessions do not
        server.anonymous().login(email, TestServer.PASSWORD).get("/api/v1/auth/me").expect(200);
    }

    @Test
    void theLastActiveAdministratorCanBeNeitherDemotedNorSuspended() {
        String adminId = idOf(admin);

        admin.patch(USERS + "/" + adminId, Map.of("role", "user")).expectProblem(409, "last-admin");
        admin.patch(USERS + "/" + adminId, Map.of("status", "suspended")).expectProblem(409, "last-admin");
        admin.patch(USERS + "/" + adminId, Map.of("role", "pending", "status", "active"))
                .expectProblem(409, "last-admin");
        assertThat(admin.get("/api/v1/auth/me").expect(200).text("/role")).isEqualTo("admin");

        ApiClient second = server.newUser();
        String secondId = idOf(second);
        admin.patch(USERS + "/" + secondId, Map.of("role", "admin")).expect(200);
        second.get(USERS).expect(200);
        second.patch(USERS + "/" + secondId, Map.of("role", "user")).expect(200); // another admin remains
        second.get(USERS).expectProblem(403, "forbidden");
    }

    @Test
    void theAccountListIsNewestFirstFilteredAndPagedWithACursor() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            made.add(idOf(server.newUser()));
        }

        Response first = admin.get(USERS + "?role=user&status=active&limit=2").expect(200);
        Response second = admin.get(USERS + "?role=user&status=active&limit=2&cursor=" + first.text("/nextCursor"))
                .expect(200);

        List<String> ids = new ArrayList<>();
        first.at("/items").forEach(u -> ids.add(u.get("id").asString()));
        second.at("/items").forEach(u -> ids.add(u.get("id").asString()));
        assertThat(ids.subList(0, 3)).containsExactly(made.get(2), made.get(1), made.get(0));
        assertThat(first.at("/items/0/role").asString()).isEqualTo("user");
        assertThat(first.at("/items/0").has("passwordHash")).isFalse();
        JsonNode admins = admin.get(USERS + "?role=admin").expect(200).at("/items");
        assertThat(admins).extracting(u -> u.get("email").asString()).containsExactly(TestServer.ADMIN_EMAIL);
        assertThat(admin.get(USERS + "?role=admin").at("/nextCursor").isNull()).isTrue();
        admin.get(USERS + "?status=asleep").expectProblem(400, "validation");
        admin.get(USERS + "?cursor=nonsense").expectProblem(400, "validation");
    }

    @Test
    void changingAnUnknownAccountIsNotFoundAndABadRoleIsAValidationProblem() {
        admin.patch(USERS + "/" + UUID.randomUUID(), Map.of("role", "user")).expectProblem(404, "user-not-found");

        String id = idOf(server.newUser());
        admin.patch(USERS + "/" + id, Map.of("role", "superuser")).expectProblem(400, "validation");
        admin.patch(USERS + "/" + id, Map.of("status", "gone")).expectProblem(400, "validation");
        assertThat(admin.get(USERS + "/" + id).expect(200).text("/role")).isEqualTo("user");
    }
}
