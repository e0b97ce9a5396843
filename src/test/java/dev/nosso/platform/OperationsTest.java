package dev.nosso.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ServerTest;
import org.junit.jupiter.api.Test;

/** What an operator and an API client look at: health with the database, metrics, and the API description. */
class OperationsTest extends ServerTest {

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
