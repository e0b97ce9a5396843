package dev.nosso.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.ServerTest;
import dev.nosso.support.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Password guessing meets 429 per email and per client address. The server trusts X-Forwarded-For from
 * localhost here (as behind a local reverse proxy), so each test can speak from an address of its own.
 */
class LoginThrottleTest extends ServerTest {

    @Override
    protected Map<String, Object> settings() {
        return Map.of(
                "nosso.identity.login-failures-allowed", "3",
                "nosso.identity.login-failures-allowed-per-address", "5",
                "nosso.identity.login-lockout", "10m",
                "nosso.identity.signups-per-address", "2",
                "server.forward-headers-strategy", "native");
    }

    private Response login(String email, String password, String address) {
        return server.anonymous().send("POST", "/api/v1/auth/login",
                Map.of("email", email, "password", password), "X-Forwarded-For", address);
    }

    private int signupAddresses;

    private Response signUp(String email, String address) {
        return server.anonymous().send("POST", "/api/v1/auth/signup",
                AuthenticationApiTest.signup(email, TestServer.PASSWORD), "X-Forwarded-For", address);
    }

    private String newAccount() {
        String email = AuthenticationApiTest.newEmail();
        signUp(email, "198.51.100." + (++signupAddresses)).expect(201);
        return email;
    }

    @Test
    void signUpsFromOneAddressAreCountedToo() {
        signUp(AuthenticationApiTest.newEmail(), "203.0.113.200").expect(201);
        signUp(AuthenticationApiTest.newEmail(), "203.0.113.200").expect(201);

        Response third = signUp(AuthenticationApiTest.newEmail(), "203.0.113.200")
                .expectProblem(429, "too-many-attempts");

        assertThat(third.headers().firstValue("Retry-After")).isPresent();
        signUp(AuthenticationApiTest.newEmail(), "203.0.113.201").expect(201);
    }

    @Test
    void afterTheAllowedFailuresEvenTheRightPasswordWaitsWithRetryAfter() {
        String email = newAccount();
        for (int i = 0; i < 3; i++) {
            login(email, "wrong-password", "203.0.113.1").expectProblem(401, "invalid-credentials");
        }

        Response locked = login(email, TestServer.PASSWORD, "203.0.113.1").expectProblem(429, "too-many-attempts");

        long retryAfter = Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 600L);
        login(email.toUpperCase(), TestServer.PASSWORD, "203.0.113.2").expectProblem(429, "too-many-attempts");
    }

    @Test
    void aSuccessfulSignInResetsTheEmailsCount() {
        String email = newAccount();
        login(email, "wrong-password", "203.0.113.3").expectProblem(401, "invalid-credentials");
        login(email, "wrong-password", "203.0.113.3").expectProblem(401, "invalid-credentials");
        login(email, TestServer.PASSWORD, "203.0.113.3").expect(200);

        login(email, "wrong-password", "203.0.113.4").expectProblem(401, "invalid-credentials");
        login(email, "wrong-password", "203.0.113.4").expectProblem(401, "invalid-credentials");

        login(email, TestServer.PASSWORD, "203.0.113.4").expect(200);
    }

    @Test
    void oneAddressTryingManyEmailsIsThrottledToo() {
        String victim = newAccount();
        for (int i = 0; i < 5; i++) {
            login(AuthenticationApiTest.newEmail(), "guess-" + i, "198.51.100.7")
                    .expectProblem(401, "invalid-credentials");
        }

        login(victim, TestServer.PASSWORD, "198.51.100.7").expectProblem(429, "too-many-attempts");
        login(victim, TestServer.PASSWORD, "198.51.100.8").expect(200); // the email itself was never guessed at
    }
}
