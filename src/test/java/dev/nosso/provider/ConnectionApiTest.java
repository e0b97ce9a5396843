package dev.nosso.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import tools.jackson.databind.JsonNode;

/** Administrators manage connections to model providers; keys go in and are never seen again. */
class ConnectionApiTest extends ServerTest {

    static final String CONNECTIONS = "/api/v1/admin/connections";

    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private ApiClient admin;

    @BeforeParameterizedClassInvocation
    void signIn() {
        admin = server.admin();
    }

    // One set of upstreams serves both databases' runs: the class's instance is shared by its invocations.
    @AfterAll
    void stopUpstream() {
        upstream.close();
    }

    @AfterEach
    void removeEveryConnection() {
        deleteAll(admin);
        upstream.reset();
    }

    static void deleteAll(ApiClient admin) {
        for (JsonNode c : admin.get(CONNECTIONS).expect(200).json()) {
            if (c.get("source").asString().equals("admin")) {
                admin.delete(CONNECTIONS + "/" + c.get("id").asString()).expect(204);
            }
        }
    }

    static Map<String, Object> connection(String kind, String name, Object baseUrl, String apiKey) {
        Map<String, Object> body = new HashMap<>();
        body.put("kind", kind);
        body.put("name", name);
        body.put("baseUrl", baseUrl.toString());
        if (apiKey != null) {
            body.put("apiKey", apiKey);
        }
        return body;
    }

    @Test
    void anAdministratorAddsAConnectionAndItsKeyIsNeverReturned() {
        Response created = admin.post(CONNECTIONS, connection("openai", "Remote", upstream.openAiBaseUrl() + "/",
                "sk-secret-123")).expect(201);

        assertThat(created.text("/kind")).isEqualTo("openai");
        assertThat(created.text("/name")).isEqualTo("Remote");
        assertThat(created.text("/baseUrl")).isEqualTo(upstream.openAiBaseUrl().toString()); // trailing slash gone
        assertThat(created.at("/hasApiKey").asBoolean()).isTrue();
        assertThat(created.at("/enabled").asBoolean()).isTrue();
        assertThat(created.text("/source")).isEqualTo("admin");
        String id = created.text("/id");
        Response read = admin.get(CONNECTIONS + "/" + id).expect(200);
        Response list = admin.get(CONNECTIONS).expect(200);
        for (Response r : new Response[] {created, read, list}) {
            assertThat(r.body()).doesNotContain("sk-secret-123").doesNotContain("apiKey\"").doesNotContain("v1:");
        }
        assertThat(read.text("/name")).isEqualTo("Remote");
        assertThat(list.json()).extracting(c -> c.get("id").asString()).contains(id);
    }

    @Test
    void theKeyIsStoredSealedNotInPlainText() throws Exception {
        String id = admin.post(CONNECTIONS, connection("openai", "Sealed", upstream.openAiBaseUrl(), "sk-plain-456"))
                .expect(201).text("/id");

        String stored = storedKey(id);

        assertThat(stored).startsWith("v1:").doesNotContain("sk-plain-456");
    }

    @Test
    void theKeyIsSentToTheProviderAndCanBeReplacedOrRemoved() throws Exception {
        upstream.models("m1", "m2");
        String path = CONNECTIONS + "/" + admin.post(CONNECTIONS, connection("openai", "Keyed",
                upstream.openAiBaseUrl(), "sk-first")).expect(201).text("/id");

        admin.post(path + "/test", null).expect(200);
        assertThat(upstream.requests("/v1/models").getLast().bearerToken()).isEqualTo("sk-first");

        admin.patch(path, Map.of("apiKey", "sk-second")).expect(200);
        admin.post(path + "/test", null).expect(200);
        assertThat(upstream.requests("/v1/models").getLast().bearerToken()).isEqualTo("sk-second");

        Response renamed = admin.patch(path, Map.of("name", "Still keyed")).expect(200); // absent: kept
        assertThat(renamed.at("/hasApiKey").asBoolean()).isTrue();

        Map<String, Object> clear = new HashMap<>();
        clear.put("apiKey", null);
        Response cleared = admin.patch(path, clear).expect(200);
        assertThat(cleared.at("/hasApiKey").asBoolean()).isFalse();
        assertThat(storedKey(cleared.text("/id"))).isNull();
        admin.post(path + "/test", null).expect(200);
        assertThat(upstream.requests("/v1/models").getLast().bearerToken()).isNull();
    }

    @Test
    void everyFieldCanBeChanged() {
        String path = CONNECTIONS + "/" + admin.post(CONNECTIONS, connection("openai", "Before",
                "http://127.0.0.1:1/v1", null)).expect(201).text("/id");

        Response changed = admin.patch(path, Map.of("kind", "ollama", "name", "After",
                "baseUrl", upstream.ollamaBaseUrl().toString(), "enabled", false)).expect(200);

        assertThat(changed.text("/kind")).isEqualTo("ollama");
        assertThat(changed.text("/name")).isEqualTo("After");
        assertThat(changed.text("/baseUrl")).isEqualTo(upstream.ollamaBaseUrl().toString());
        assertThat(changed.at("/enabled").asBoolean()).isFalse();
        assertThat(admin.get(path).expect(200).json()).isEqualTo(changed.json());
    }

    @Test
    void aBadFieldIsA400NamingIt() {
        admin.post(CONNECTIONS, connection("anthropic", "x", "http://h", null)).expectProblem(400, "validation");
        admin.post(CONNECTIONS, connection("openai", "  ", "http://h", null)).expectProblem(400, "validation");
        admin.post(CONNECTIONS, connection("openai", "n".repeat(101), "http://h", null)).expectProblem(400, "validation");
        for (String url : new String[] {"", "localhost:11434", "ftp://h", "http://u:p@h/v1", "https://h/v1?key=1"}) {
            Response bad = admin.post(CONNECTIONS, connection("openai", "x", url, null)).expectProblem(400, "validation");
            assertThat(bad.text("/detail")).as(url).startsWith("baseUrl:");
        }
        admin.post(CONNECTIONS, "{\"kind\": ").expectProblem(400, "malformed-body");

        String path = CONNECTIONS + "/" + admin.post(CONNECTIONS, connection("openai", "Valid", "http://h", null))
                .expect(201).text("/id");
        admin.patch(path, Map.of("baseUrl", "not a url")).expectProblem(400, "validation");
        admin.patch(path, Map.of("kind", "other")).expectProblem(400, "validation");
        assertThat(admin.get(path).expect(200).text("/baseUrl")).isEqualTo("http://h");
    }

    @Test
    void aNameIsUniqueAmongConnections() {
        admin.post(CONNECTIONS, connection("openai", "Twin", "http://h1", null)).expect(201);
        String other = admin.post(CONNECTIONS, connection("ollama", "Other", "http://h2", null)).expect(201).text("/id");

        admin.post(CONNECTIONS, connection("ollama", "Twin", "http://h3", null))
                .expectProblem(409, "connection-name-taken");
        admin.patch(CONNECTIONS + "/" + other, Map.of("name", " Twin ")).expectProblem(409, "connection-name-taken");
        admin.patch(CONNECTIONS + "/" + other, Map.of("name", "Other")).expect(200); // its own name is free to keep
    }

    @Test
    void anUnknownConnectionIsA404() {
        String missing = CONNECTIONS + "/" + UUID.randomUUID();

        admin.get(missing).expectProblem(404, "connection-not-found");
        admin.patch(missing, Map.of("name", "x")).expectProblem(404, "connection-not-found");
        admin.delete(missing).expectProblem(404, "connection-not-found");
        admin.post(missing + "/test", null).expectProblem(404, "connection-not-found");
    }

    @Test
    void aDeletedConnectionIsGone() {
        String path = CONNECTIONS + "/" + admin.post(CONNECTIONS, connection("openai", "Brief", "http://h", null))
                .expect(201).text("/id");

        admin.delete(path).expect(204);

        admin.get(path).expectProblem(404, "connection-not-found");
        admin.post(CONNECTIONS, connection("openai", "Brief", "http://h", null)).expect(201); // the name is free again
    }

    @Test
    void onlyAdministratorsManageConnections() {
        String path = CONNECTIONS + "/" + admin.post(CONNECTIONS, connection("openai", "Guarded", "http://h", null))
                .expect(201).text("/id");
        ApiClient user = server.newUser();

        user.get(CONNECTIONS).expectProblem(403, "forbidden");
        user.post(CONNECTIONS, connection("openai", "Mine", "http://h", null)).expectProblem(403, "forbidden");
        user.get(path).expectProblem(403, "forbidden");
        user.patch(path, Map.of("enabled", false)).expectProblem(403, "forbidden");
        user.delete(path).expectProblem(403, "forbidden");
        user.post(path + "/test", null).expectProblem(403, "forbidden");
        server.anonymous().get(CONNECTIONS).expectProblem(401, "unauthenticated");
    }

    @Test
    void theTestButtonListsTheModelsOrSaysWhyItCannot() throws Exception {
        upstream.models("a", "b", "c");
        String openai = admin.post(CONNECTIONS, connection("openai", "Works", upstream.openAiBaseUrl(), null))
                .expect(201).text("/id");
        String ollama = admin.post(CONNECTIONS, connection("ollama", "Works too", upstream.ollamaBaseUrl(), null))
                .expect(201).text("/id");
        String dead = admin.post(CONNECTIONS, connection("openai", "Dead", "http://127.0.0.1:" + closedPort() + "/v1",
                null)).expect(201).text("/id");

        Response ok = admin.post(CONNECTIONS + "/" + openai + "/test", null).expect(200);
        Response okToo = admin.post(CONNECTIONS + "/" + ollama + "/test", null).expect(200);
        Response failed = admin.post(CONNECTIONS + "/" + dead + "/test", null).expect(200);

        assertThat(ok.at("/ok").asBoolean()).isTrue();
        assertThat(ok.at("/models").asInt()).isEqualTo(3);
        assertThat(ok.at("/error").isNull()).isTrue();
        assertThat(okToo.at("/models").asInt()).isEqualTo(3);
        assertThat(failed.at("/ok").asBoolean()).isFalse();
        assertThat(failed.at("/models").asInt()).isZero();
        assertThat(failed.text("/error")).isNotBlank();
    }

    private String storedKey(String id) throws Exception {
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("SELECT api_key_ciphertext FROM connections WHERE id = "
                     + (dialect.name().equals("POSTGRESQL") ? "CAST(? AS uuid)" : "?"))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    /** A port nothing listens on: bound, then released. */
    static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
