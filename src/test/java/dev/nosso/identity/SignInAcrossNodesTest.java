package dev.nosso.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.TestRedis;
import dev.nosso.support.TestServer;
import dev.nosso.support.TwoNodes;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Password guessing is counted once for the whole installation: two nodes on one PostgreSQL database count
 * together, in the database or, when they share one, in Redis. Each attempt here alternates between the nodes,
 * as a load balancer would send them.
 */
@ParameterizedClass(name = "counted in {0}")
@EnumSource(SignInAcrossNodesTest.Counts.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignInAcrossNodesTest {

    enum Counts { POSTGRESQL, REDIS }

    @Parameter
    Counts counts;

    private TestRedis redis;
    private TwoNodes nodes;
    private int addresses;

    @BeforeParameterizedClassInvocation
    void startNodes() {
        redis = counts == Counts.REDIS ? TestRedis.fresh() : null;
        nodes = TwoNodes.start(Map.of(
                "nosso.identity.login-failures-allowed", "3",
                "nosso.identity.login-failures-allowed-per-address", "5",
                "nosso.identity.signups-per-address", "2",
                "nosso.identity.login-lockout", "10m",
                "server.forward-headers-strategy", "native"), redis);
    }

    @AfterParameterizedClassInvocation
    void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private TestServer node(int attempt) {
        return attempt % 2 == 0 ? nodes.a() : nodes.b();
    }

    private static Response login(TestServer node, String email, String password, String address) {
        return node.anonymous().send("POST", "/api/v1/auth/login", Map.of("email", email, "password", password),
                "X-Forwarded-For", address);
    }

    private static Response signUp(TestServer node, String email, String address) {
        return node.anonymous().send("POST", "/api/v1/auth/signup",
                AuthenticationApiTest.signup(email, TestServer.PASSWORD), "X-Forwarded-For", address);
    }

    private String newAccount() {
        String email = AuthenticationApiTest.newEmail();
        signUp(nodes.a(), email, "198.51.100." + (++addresses)).expect(201);
        return email;
    }

    @Test
    void anEmailLockedByFailuresOnBothNodesIsLockedOnEach() {
        String email = newAccount();
        for (int i = 0; i < 3; i++) {
            login(node(i), email, "wrong-password", "203.0.113.10").expectProblem(401, "invalid-credentials");
        }

        Response onB = login(nodes.b(), email, TestServer.PASSWORD, "203.0.113.11")
                .expectProblem(429, "too-many-attempts");
        Response onA = login(nodes.a(), email, TestServer.PASSWORD, "203.0.113.12")
                .expectProblem(429, "too-many-attempts");

        assertThat(Long.parseLong(onB.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 600L);
        assertThat(onA.headers().firstValue("Retry-After")).isPresent();
        assertCountedInTheSharedStore();
    }

    @Test
    void anEmailLockedOnOneNodeIsRefusedOnTheOther() {
        String email = newAccount();
        for (int i = 0; i < 3; i++) {
            login(nodes.a(), email, "wrong-password", "203.0.113.20").expectProblem(401, "invalid-credentials");
        }

        login(nodes.b(), email, TestServer.PASSWORD, "203.0.113.21").expectProblem(429, "too-many-attempts");
    }

    @Test
    void aSuccessOnOneNodeGivesTheEmailItsAttemptsBackOnTheOther() {
        String email = newAccount();
        login(nodes.a(), email, "wrong-password", "203.0.113.30").expectProblem(401, "invalid-credentials");
        login(nodes.a(), email, "wrong-password", "203.0.113.30").expectProblem(401, "invalid-credentials");
        login(nodes.b(), email, TestServer.PASSWORD, "203.0.113.30").expect(200);

        login(nodes.a(), email, "wrong-password", "203.0.113.30").expectProblem(401, "invalid-credentials");
        login(nodes.a(), email, "wrong-password", "203.0.113.30").expectProblem(401, "invalid-credentials");

        login(nodes.b(), email, TestServer.PASSWORD, "203.0.113.30").expect(200);
    }

    @Test
    void oneAddressTryingManyEmailsOnBothNodesIsThrottledOnBoth() {
        String victim = newAccount();
        for (int i = 0; i < 5; i++) {
            login(node(i), AuthenticationApiTest.newEmail(), "guess-" + i, "198.51.100.77")
                    .expectProblem(401, "invalid-credentials");
        }

        login(nodes.a(), victim, TestServer.PASSWORD, "198.51.100.77").expectProblem(429, "too-many-attempts");
        login(nodes.b(), victim, TestServer.PASSWORD, "198.51.100.77").expectProblem(429, "too-many-attempts");
        login(nodes.b(), victim, TestServer.PASSWORD, "198.51.100.78").expect(200);
    }

    @Test
    void signUpsFromOneAddressAreCountedAcrossNodes() {
        signUp(nodes.a(), AuthenticationApiTest.newEmail(), "203.0.113.40").expect(201);
        signUp(nodes.b(), AuthenticationApiTest.newEmail(), "203.0.113.40").expect(201);

        signUp(nodes.a(), AuthenticationApiTest.newEmail(), "203.0.113.40").expectProblem(429, "too-many-attempts");
        signUp(nodes.b(), AuthenticationApiTest.newEmail(), "203.0.113.40").expectProblem(429, "too-many-attempts");
    }

    /** The counts are where this variant says: in Redis under the test's prefix, or in the shared table. */
    private void assertCountedInTheSharedStore() {
        long rows = nodes.a().context().getBean(JdbcClient.class)
                .sql("SELECT COUNT(*) FROM throttle_counts WHERE key LIKE 'email:%'").query(Long.class).single();
        if (counts == Counts.REDIS) {
            assertThat(redis.keys()).anyMatch(key -> key.startsWith(redis.prefix() + "throttle:email:"));
            assertThat(rows).isZero();
        } else {
            assertThat(rows).isPositive();
        }
    }
}
