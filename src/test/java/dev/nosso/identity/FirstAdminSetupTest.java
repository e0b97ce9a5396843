package dev.nosso.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A server started without NOSSO_ADMIN_EMAIL prints a one-time setup link, and only that link makes the
 * first administrator. The steps build on each other, in order, on one server per database.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Dialect.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class FirstAdminSetupTest {

    private static final Pattern LINK =
            Pattern.compile("http://localhost:(\\d+)/setup\\?token=([A-Za-z0-9_-]{43})");
    private static final String SETUP = "/api/v1/auth/setup";
    private static final String OWNER_EMAIL = "owner@nosso.test";
    private static final Map<String, Object> NO_ADMIN_SETTINGS = Map.of(
            "nosso.identity.admin-email", "", "nosso.identity.admin-password", "");

    @Parameter
    Dialect dialect;

    private TestDatabase database;
    private TestServer server;
    private CapturedOutput output;
    private String token;

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void startServerWithoutAnAdministrator(CapturedOutput output) {
        this.output = output;
        database = TestDatabase.fresh(dialect);
        server = TestServer.start(database, NO_ADMIN_SETTINGS);
        assertThat(server.context().getBean(Dialect.class)).isEqualTo(dialect);
        Matcher link = LINK.matcher(output.getOut());
        String last = null;
        String port = null;
        while (link.find()) { // the PostgreSQL run's output also holds the SQLite run's link
            port = link.group(1);
            last = link.group(2);
        }
        assertThat(last).as("a setup link in the log").isNotNull();
        assertThat(server.baseUrl()).endsWith(":" + port);
        token = last;
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static Map<String, Object> setup(String token, String email, String password) {
        Map<String, Object> body = new HashMap<>();
        body.put("token", token);
        body.put("email", email);
        body.put("name", "Owner");
        body.put("password", password);
        return body;
    }

    @Test
    @Order(1)
    void signingUpFirstDoesNotMakeAnAdministrator() {
        ApiClient first = server.newUser();

        assertThat(first.get("/api/v1/auth/me").expect(200).text("/role")).isEqualTo("user");
        first.get("/api/v1/admin/users").expectProblem(403, "forbidden");
    }

    @Test
    @Order(2)
    void aWrongOrMissingSetupTokenIsRefused() {
        ApiClient anonymous = server.anonymous();

        anonymous.post(SETUP, setup("x".repeat(43), OWNER_EMAIL, TestServer.ADMIN_PASSWORD))
                .expectProblem(403, "setup-token-invalid");
        anonymous.post(SETUP, setup(null, OWNER_EMAIL, TestServer.ADMIN_PASSWORD))
                .expectProblem(403, "setup-token-invalid");
    }

    @Test
    @Order(3)
    void aRefusedSetupRequestLeavesTheTokenUsable() {
        String taken = AuthenticationApiTest.newEmail();
        server.anonymous().post("/api/v1/auth/signup", AuthenticationApiTest.signup(taken, TestServer.PASSWORD))
                .expect(201);

        server.anonymous().post(SETUP, setup(token, OWNER_EMAIL, "short")).expectProblem(400, "validation");
        server.anonymous().post(SETUP, setup(token, taken, TestServer.ADMIN_PASSWORD))
                .expectProblem(409, "email-taken");
    }

    @Test
    @Order(4)
    void theLoggedTokenCreatesTheAdministratorAndSignsThemIn() {
        ApiClient owner = server.anonymous();

        Response created = owner.post(SETUP, setup(token, " Owner@Nosso.Test ", TestServer.ADMIN_PASSWORD))
                .expect(201);

        assertThat(created.text("/role")).isEqualTo("admin");
        assertThat(created.text("/email")).isEqualTo(OWNER_EMAIL);
        assertThat(owner.get("/api/v1/auth/me").expect(200).text("/role")).isEqualTo("admin");
        owner.patch("/api/v1/admin/settings", Map.of("signupDefaultRole", "pending")).expect(200); // can write
        server.anonymous().login(OWNER_EMAIL, TestServer.ADMIN_PASSWORD);
    }

    @Test
    @Order(5)
    void theTokenWorksOnlyOnce() {
        server.anonymous().post(SETUP, setup(token, "second@nosso.test", TestServer.ADMIN_PASSWORD))
                .expectProblem(403, "setup-token-invalid");

        server.anonymous().post("/api/v1/auth/login", Map.of("email", "second@nosso.test", "password",
                TestServer.ADMIN_PASSWORD)).expectProblem(401, "invalid-credentials");
    }

    @Test
    @Order(6)
    void onceAnAdministratorExistsARestartPrintsNoLink() {
        int linksBefore = LINK.matcher(output.getOut()).results().mapToInt(m -> 1).sum();

        server = server.restart(NO_ADMIN_SETTINGS);

        assertThat(LINK.matcher(output.getOut()).results().mapToInt(m -> 1).sum()).isEqualTo(linksBefore);
        server.anonymous().post(SETUP, setup(token, "third@nosso.test", TestServer.ADMIN_PASSWORD))
                .expectProblem(403, "setup-token-invalid");
        server.anonymous().login(OWNER_EMAIL, TestServer.ADMIN_PASSWORD).get("/api/v1/admin/users").expect(200);
    }
}
