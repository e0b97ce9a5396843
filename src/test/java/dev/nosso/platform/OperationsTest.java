package dev.nosso.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** What an operator and an API client look at: health with the database, metrics, and the API description. */
@ParameterizedClass(name = "on {0}")
@EnumSource(Dialect.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsTest {

    @Parameter
    Dialect dialect;

    private TestDatabase database;
    private TestServer server;

    @BeforeParameterizedClassInvocation
    void startServer() {
        database = TestDatabase.fresh(dialect);
        server = TestServer.start(database);
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

    @Test
    void healthIsPublicAndIncludesTheDatabase() {
        ApiClient.Response health = server.anonymous().get("/actuator/health").expect(200);

        assertThat(health.text("/status")).isEqualTo("UP");
        assertThat(health.text("/components/db/status")).isEqualTo("UP");
        assertThat(server.admin().get("/actuator/health").expect(200).toString()).contains("db");
    }

    @Test
    void prometheusMetricsAreForAdministratorsOnly() {
        server.anonymous().getAny("/actuator/prometheus").expect(401);
        server.newUser().getAny("/actuator/prometheus").expect(403);

        ApiClient.Response metrics = server.admin().getAny("/actuator/prometheus").expect(200);
        assertThat(metrics.body()).contains("hikaricp_connections").contains("http_server_requests");
    }

    @Test
    void theApiIsDescribedByOpenApi() {
        ApiClient.Response docs = server.anonymous().get("/v3/api-docs").expect(200);

        assertThat(docs.at("/paths").propertyNames()).contains("/api/v1/chats", "/api/v1/chats/{chatId}/messages",
                "/api/v1/chats/{chatId}/tree", "/api/v1/chats/{chatId}/active-leaf", "/api/v1/messages/{messageId}",
                "/api/v1/folders", "/api/v1/search/chats", "/api/v1/auth/login", "/api/v1/api-keys",
                "/api/v1/admin/users");
        server.anonymous().getAny("/swagger-ui/index.html").expect(200);
    }

    @Test
    void anUnknownRouteIsAProblemNotAStackTrace() {
        ApiClient.Response missing = server.newUser().get("/api/v1/no-such-thing").expect(404);

        assertThat(missing.text("/type")).startsWith("urn:nosso:problem:");
        assertThat(missing.body()).doesNotContain("Exception");
    }
}
