package dev.nosso.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.ServerTest;
import dev.nosso.support.TestServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Sign-up, sign-in, sessions, CSRF and the answers of the security chain, over real HTTP on both databases. */
class AuthenticationApiTest extends ServerTest {

    static final String SIGNUP = "/api/v1/auth/signup";
    static final String LOGIN = "/api/v1/auth/login";
    static final String LOGOUT = "/api/v1/auth/logout";
    static final String ME = "/api/v1/auth/me";


    static String newEmail() {
        return "u" + UUID.randomUUID().toString().substring(0, 12) + "@nosso.test";
    }

    static Map<String, Object> signup(String email, String password) {
        return Map.of("email", email, "password", password, "name", "Someone");
    }

    private Response raw(String method, String path, Object body, String... headers) {
        return server.anonymous().send(method, path, body, headers);
    }

    private static String setCookie(Response response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " cookie in " + response.headers()));
    }

    @Test
    void theAdministratorFromTheEnvironmentSignsInAsAdmin() {
        Response me = server.admin().get(ME).expect(200);

        assertThat(me.text("/email")).isEqualTo(TestServer.ADMIN_EMAIL);
        assertThat(me.text("/role")).isEqualTo("admin");
        assertThat(me.text("/status")).isEqualTo("active");
        assertThat(me.text("/credential")).isEqualTo("session");
    }

    @Test
    void signingUpAnswers201WithTheNormalisedAccountAndNeverItsPassword() {
        String email = newEmail();

        Response created = server.anonymous().post(SIGNUP,
                Map.of("email", "  " + email.toUpperCase() + " ", "password", TestServer.PASSWORD, "name", " Ana "))
                .expect(201);

        assertThat(created.text("/email")).isEqualTo(email);
        assertThat(created.text("/name")).isEqualTo("Ana");
        assertThat(created.text("/role")).isEqualTo("user"); // the test servers' default; production's is pending
        assertThat(created.text("/status")).isEqualTo("active");
        assertThat(created.text("/id")).isNotBlank();
        assertThat(created.body()).doesNotContainIgnoringCase("password").doesNotContain("bcrypt");
        assertThat(created.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("nosso_session="));
    }

    @Test
    void aSecondAccountWithTheSameEmailInAnyCaseIsRefused() {
        String email = newEmail();
        server.anonymous().post(SIGNUP, signup(email, TestServer.PASSWORD)).expect(201);

        server.anonymous().post(SIGNUP, signup(email.toUpperCase(), TestServer.PASSWORD))
                .expectProblem(409, "email-taken");
    }

    @Test
    void badEmailsAndPasswordsOutsideTheLengthLimitsAreValidationProblems() {
        ApiClient anonymous = server.anonymous();

        anonymous.post(SIGNUP, signup("not-an-email", TestServer.PASSWORD)).expectProblem(400, "validation");
        anonymous.post(SIGNUP, signup("two words@nosso.test", TestServer.PASSWORD)).expectProblem(400, "validation");
        Response tooShort = anonymous.post(SIGNUP, signup(newEmail(), "short")).expectProblem(400, "validation");
        assertThat(tooShort.text("/detail")).contains("password").contains("8");
        anonymous.post(SIGNUP, signup(newEmail(), "p".repeat(257))).expectProblem(400, "validation");
        anonymous.post(SIGNUP, Map.of("email", newEmail(), "password", TestServer.PASSWORD))
                .expectProblem(400, "validation"); // no name
        anonymous.post(SIGNUP, signup(newEmail(), "p".repeat(256))).expect(201);
    }

    @Test
    void aPassphraseLongerThanBcryptsLimitCountsInFull() {
        String email = newEmail();
        String passphrase = "correct horse battery staple ".repeat(5); // 145 characters, past bcrypt's 72 bytes
        server.anonymous().post(SIGNUP, signup(email, passphrase)).expect(201);

        server.anonymous().post(LOGIN, Map.of("email", email, "password", passphrase + "!"))
                .expectProblem(401, "invalid-credentials");
        server.anonymous().post(LOGIN, Map.of("email", email, "password", passphrase.substring(0, 100)))
                .expectProblem(401, "invalid-credentials");
        server.anonymous().post(LOGIN, Map.of("email", email, "password", passphrase)).expect(200);
    }

    @Test
    void signingInSetsAnHttpOnlySameSiteSessionCookieAndAReadableCsrfCookie() {
        String email = newEmail();
        server.anonymous().post(SIGNUP, signup(email, TestServer.PASSWORD)).expect(201);

        Response login = raw("POST", LOGIN, Map.of("email", " " + email.toUpperCase(), "password", TestServer.PASSWORD))
                .expect(200);

        assertThat(login.text("/email")).isEqualTo(email);
        assertThat(login.text("/credential")).isEqualTo("session");
        String session = setCookie(login, "nosso_session");
        assertThat(session).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax")
                .contains("Path=/").contains("Max-Age=").doesNotContainIgnoringCase("Secure");
        assertThat(session.substring("nosso_session=".length(), session.indexOf(';'))).hasSize(43);
        String csrf = setCookie(login, "XSRF-TOKEN");
        assertThat(csrf).contains("Path=/").doesNotContainIgnoringCase("HttpOnly");
    }

    @Test
    void aWrongPasswordAndAnUnknownEmailGetTheSameAnswer() {
        String email = newEmail();
        server.anonymous().post(SIGNUP, signup(email, TestServer.PASSWORD)).expect(201);

        Response wrongPassword = server.anonymous().post(LOGIN, Map.of("email", email, "password", "wrong-password"))
                .expectProblem(401, "invalid-credentials");
        Response unknownEmail = server.anonymous()
                .post(LOGIN, Map.of("email", newEmail(), "password", "wrong-password"))
                .expectProblem(401, "invalid-credentials");

        assertThat(unknownEmail.text("/detail")).isEqualTo(wrongPassword.text("/detail"));
        assertThat(wrongPassword.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    @Test
    void meTellsWhoIsCallingAndWithWhichCredential() {
        ApiClient user = server.newUser();
        Response bySession = user.get(ME).expect(200);
        String key = user.post("/api/v1/api-keys", Map.of("name", "cli")).expect(201).text("/key");

        Response byKey = user.withBearer(key).get(ME).expect(200);

        assertThat(bySession.text("/credential")).isEqualTo("session");
        assertThat(byKey.text("/credential")).isEqualTo("api-key");
        assertThat(byKey.text("/id")).isEqualTo(bySession.text("/id"));
        assertThat(byKey.text("/email")).isEqualTo(bySession.text("/email")).endsWith("@nosso.test");
        assertThat(byKey.text("/role")).isEqualTo("user");
        assertThat(byKey.text("/status")).isEqualTo("active");
    }

    @Test
    void afterLogoutTheOldSessionCookieIsRefused() {
        ApiClient user = server.newUser();
        String token = user.cookie("nosso_session").orElseThrow();

        Response logout = user.post(LOGOUT, null).expect(204);

        assertThat(setCookie(logout, "nosso_session")).contains("Max-Age=0");
        user.get(ME).expectProblem(401, "unauthenticated");
        raw("GET", ME, null, "Cookie", "nosso_session=" + token).expectProblem(401, "unauthenticated");
    }

    @Test
    void aCookieWriteWithoutTheCsrfTokenIsRefused() {
        ApiClient user = server.newUser();
        String session = user.cookie("nosso_session").orElseThrow();
        String csrf = user.cookie("XSRF-TOKEN").orElseThrow();

        user.withoutCsrf().post("/api/v1/api-keys", Map.of("name", "forged")).expectProblem(403, "csrf");
        user.withoutCsrf().post(LOGOUT, null).expectProblem(403, "csrf");
        raw("POST", "/api/v1/api-keys", Map.of("name", "forged"), "Cookie",
                "nosso_session=" + session + "; XSRF-TOKEN=" + csrf, "X-XSRF-TOKEN", csrf + "x")
                .expectProblem(403, "csrf");
        user.get(ME).expect(200); // reads need no token

        user.post("/api/v1/api-keys", Map.of("name", "genuine")).expect(201);
        assertThat(user.get("/api/v1/api-keys").expect(200).json()).extracting(n -> n.get("name").asString())
                .containsExactly("genuine");
    }

    @Test
    void aCsrfTokenFromAnotherSessionIsRefusedEvenWhenCookieAndHeaderAgree() {
        ApiClient victim = server.newUser();
        ApiClient attacker = server.newUser();
        String session = victim.cookie("nosso_session").orElseThrow();
        String own = victim.cookie("XSRF-TOKEN").orElseThrow();
        String foreign = attacker.cookie("XSRF-TOKEN").orElseThrow();
        assertThat(foreign).isNotEqualTo(own);

        // A token planted in the victim's cookie (a sibling subdomain can set one) and sent in the header.
        raw("POST", "/api/v1/api-keys", Map.of("name", "forged"), "Cookie",
                "nosso_session=" + session + "; XSRF-TOKEN=" + foreign, "X-XSRF-TOKEN", foreign)
                .expectProblem(403, "csrf");
        raw("POST", "/api/v1/api-keys", Map.of("name", "genuine"), "Cookie",
                "nosso_session=" + session + "; XSRF-TOKEN=" + own, "X-XSRF-TOKEN", own).expect(201);
        assertThat(victim.get("/api/v1/api-keys").expect(200).json()).extracting(n -> n.get("name").asString())
                .containsExactly("genuine");
    }

    @Test
    void aBearerWriteNeedsNoCsrfToken() {
        ApiClient user = server.newUser();
        String key = user.post("/api/v1/api-keys", Map.of("name", "ci")).expect(201).text("/key");

        user.withBearer(key).post("/api/v1/api-keys", Map.of("name", "made with a key")).expect(201);
    }

    @Test
    void aClientWithOnlyTheSessionCookieGetsItsCsrfCookieFromMe() {
        String email = newEmail();
        server.anonymous().post(SIGNUP, signup(email, TestServer.PASSWORD)).expect(201);
        String session = setCookie(raw("POST", LOGIN, Map.of("email", email, "password", TestServer.PASSWORD))
                .expect(200), "nosso_session");
        String sessionPair = session.substring(0, session.indexOf(';'));

        Response me = raw("GET", ME, null, "Cookie", sessionPair).expect(200);

        String csrf = setCookie(me, "XSRF-TOKEN");
        String token = csrf.substring("XSRF-TOKEN=".length(), csrf.indexOf(';'));
        raw("POST", "/api/v1/api-keys", Map.of("name", "after me"), "Cookie", sessionPair + "; XSRF-TOKEN=" + token,
                "X-XSRF-TOKEN", token).expect(201);
    }

    @Test
    void unauthenticatedCallsGetA401ProblemWithoutAnyChallenge() {
        ApiClient anonymous = server.anonymous();

        for (Response response : List.of(anonymous.get("/api/v1/api-keys"), anonymous.get("/api/v1/chats"),
                anonymous.post("/api/v1/chats", Map.of("title", "x")), anonymous.get("/api/v1/admin/users"),
                anonymous.get(ME), anonymous.get("/api/v1/models"), anonymous.get("/actuator/prometheus"))) {
            response.expectProblem(401, "unauthenticated");
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(response.request()).isEmpty();
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }
        // The OpenAI-compatible API refuses in OpenAI's shape instead, also without a challenge.
        Response openAi = anonymous.get("/v1/models").expect(401);
        assertThat(openAi.text("/error/code")).isEqualTo("invalid_api_key");
        assertThat(openAi.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    @Test
    void anUnknownBearerKeyIsRefusedEvenBesideAValidSessionCookie() {
        ApiClient user = server.newUser();
        String session = user.cookie("nosso_session").orElseThrow();

        raw("GET", ME, null, "Authorization", "Bearer nsk_" + "x".repeat(43), "Cookie", "nosso_session=" + session)
                .expectProblem(401, "invalid-api-key");
        raw("GET", ME, null, "Authorization", "Bearer ").expectProblem(401, "invalid-api-key");
        raw("GET", ME, null, "Authorization", "Basic YWRtaW46YWRtaW4=").expectProblem(401, "unauthenticated");
    }

    @Test
    void publicPagesHealthAndApiDocsNeedNoSignIn() {
        raw("GET", "/setup", null, "Accept", "text/html").expect(200);
        raw("GET", "/c/" + java.util.UUID.randomUUID(), null, "Accept", "text/html").expect(200);
        raw("GET", "/app/app.js", null, "Accept", "*/*").expect(200);
        raw("GET", "/webjars/marked/lib/marked.esm.js", null, "Accept", "*/*").expect(200);
        raw("GET", "/actuator/health", null, "Accept", "*/*").expect(200);
        Response docs = raw("GET", "/v3/api-docs", null, "Accept", "*/*").expect(200);
        assertThat(docs.body()).contains("/api/v1/auth/login").contains("/api/v1/api-keys");
    }

    @Test
    void theMetricsEndpointIsForAdministratorsOnly() {
        server.newUser().get("/actuator/prometheus").expectProblem(403, "forbidden");

        String adminSession = server.admin().cookie("nosso_session").orElseThrow();
        raw("GET", "/actuator/prometheus", null, "Accept", "*/*", "Cookie", "nosso_session=" + adminSession)
                .expect(200);
    }

    @Test
    void healthDetailsAreShownToAdministratorsOnly() {
        String userSession = server.newUser().cookie("nosso_session").orElseThrow();
        String adminSession = server.admin().cookie("nosso_session").orElseThrow();

        Response anonymous = raw("GET", "/actuator/health", null, "Accept", "*/*").expect(200);
        Response user = raw("GET", "/actuator/health", null, "Accept", "*/*", "Cookie", "nosso_session=" + userSession)
                .expect(200);
        Response admin = raw("GET", "/actuator/health", null, "Accept", "*/*",
                "Cookie", "nosso_session=" + adminSession).expect(200);

        assertThat(anonymous.at("/components/db/details").isMissingNode()).isTrue();
        assertThat(user.at("/components/db/details").isMissingNode()).isTrue();
        assertThat(admin.at("/components/db/details/database").asString()).isNotBlank();
    }

    @Test
    void anAccountWithoutTheAdminRoleIsForbiddenFromAdministration() {
        ApiClient user = server.newUser();

        user.get("/api/v1/admin/users").expectProblem(403, "forbidden");
        user.patch("/api/v1/admin/settings", Map.of("signupEnabled", false)).expectProblem(403, "forbidden");
    }

    @Test
    void aMalformedJsonBodyIsA400Problem() {
        server.anonymous().post(LOGIN, "{\"email\": ").expectProblem(400, "malformed-body");
        server.anonymous().post(SIGNUP, "[1, 2]").expectProblem(400, "malformed-body");
        server.newUser().post("/api/v1/api-keys", "{name").expectProblem(400, "malformed-body");
    }
}
