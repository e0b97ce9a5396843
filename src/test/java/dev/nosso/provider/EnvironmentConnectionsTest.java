package dev.nosso.provider;

import static dev.nosso.provider.ConnectionApiTest.CONNECTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * NOSSO_OPENAI_BASE_URL, NOSSO_OPENAI_API_KEY and NOSSO_OLLAMA_URL declare connections that the environment
 * owns: applied at each start, shown to administrators, enabled or disabled by them, or replaced by them (a
 * replaced one is theirs, and the variables no longer apply it). The tests run in order because they restart the server with other settings.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EnvironmentConnectionsTest extends ServerTest {

    private final ScriptedUpstream openai = ScriptedUpstream.start().models("env-gpt");
    private final ScriptedUpstream ollama = ScriptedUpstream.start().models("env-llama");

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.openai.base-url", openai.openAiBaseUrl() + "/", "nosso.openai.api-key", "sk-env-one",
                "nosso.ollama.url", ollama.ollamaBaseUrl().toString());
    }

    // One set of upstreams serves both databases' runs: the class's instance is shared by its invocations.
    @AfterAll
    void stopUpstreams() {
        openai.close();
        ollama.close();
    }

    private static JsonNode named(ApiClient admin, String name) {
        for (JsonNode c : admin.get(CONNECTIONS).expect(200).json()) {
            if (c.get("name").asString().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static List<String> modelIds(ApiClient client) {
        Response models = client.get("/api/v1/models").expect(200);
        return StreamSupport.stream(models.at("/models").spliterator(), false).map(m -> m.get("id").asString()).toList();
    }

    @Test
    @Order(1)
    void theEnvironmentsConnectionsAreThereFromTheStart() {
        ApiClient admin = server.admin();

        JsonNode remote = named(admin, "openai");
        JsonNode local = named(admin, "ollama");

        assertThat(remote.get("kind").asString()).isEqualTo("openai");
        assertThat(remote.get("baseUrl").asString()).isEqualTo(openai.openAiBaseUrl().toString());
        assertThat(remote.get("hasApiKey").asBoolean()).isTrue();
        assertThat(remote.get("source").asString()).isEqualTo("env");
        assertThat(local.get("kind").asString()).isEqualTo("ollama");
        assertThat(local.get("hasApiKey").asBoolean()).isFalse();
        assertThat(modelIds(server.newUser())).containsExactly("env-gpt", "env-llama");
        assertThat(openai.requests("/v1/models").getLast().bearerToken()).isEqualTo("sk-env-one");
    }

    @Test
    @Order(2)
    void anAdministratorMayDisableThemButNotRenameOrDeleteThemAndTheChoiceSurvivesARestart() {
        ApiClient admin = server.admin();
        String path = CONNECTIONS + "/" + named(admin, "ollama").get("id").asString();

        admin.patch(path, Map.of("name", "renamed")).expectProblem(409, "connection-from-environment");
        admin.delete(path).expectProblem(409, "connection-from-environment");
        Response disabled = admin.patch(path, Map.of("name", "ollama", "enabled", false)).expect(200);
        assertThat(disabled.at("/enabled").asBoolean()).isFalse();

        server = server.restart(settings());

        assertThat(named(server.admin(), "ollama").get("enabled").asBoolean()).isFalse();
        assertThat(modelIds(server.newUser())).containsExactly("env-gpt");
    }

    @Test
    @Order(3)
    void changedVariablesApplyAtTheNextStartAndAnUnsetOneRemovesItsConnection() {
        String id = named(server.admin(), "openai").get("id").asString();
        Map<String, Object> changed = new HashMap<>(settings());
        changed.put("nosso.openai.api-key", "sk-env-two");
        changed.put("nosso.ollama.url", "");

        server = server.restart(changed);
        ApiClient admin = server.admin();

        assertThat(named(admin, "ollama")).isNull();
        assertThat(named(admin, "openai").get("id").asString()).isEqualTo(id); // the same connection, new key
        assertThat(modelIds(server.newUser())).containsExactly("env-gpt");
        assertThat(openai.requests("/v1/models").getLast().bearerToken()).isEqualTo("sk-env-two");
    }

    @Test
    @Order(4)
    void anAdministratorsConnectionOfTheSameNameIsTakenOverByTheEnvironment() {
        Map<String, Object> withoutOllama = new HashMap<>(settings());
        withoutOllama.put("nosso.ollama.url", "");
        server = server.restart(withoutOllama);
        server.admin().post(CONNECTIONS, ConnectionApiTest.connection("ollama", "ollama", "http://127.0.0.1:9", null))
                .expect(201);

        server = server.restart(settings());

        JsonNode local = named(server.admin(), "ollama");
        assertThat(local.get("source").asString()).isEqualTo("env");
        assertThat(local.get("baseUrl").asString()).isEqualTo(ollama.ollamaBaseUrl().toString());
    }

    @Test
    @Order(5)
    void anAdministratorReplacesTheEnvironmentsConnectionAndTheNextStartKeepsTheirs() {
        ApiClient admin = server.admin();
        String path = CONNECTIONS + "/" + named(admin, "openai").get("id").asString();

        Response replaced = admin.patch(path, Map.of("apiKey", "sk-admin")).expect(200);
        assertThat(replaced.at("/source").asString()).isEqualTo("admin");
        assertThat(replaced.at("/replacesEnvironment").asBoolean()).isTrue();

        server = server.restart(settings()); // the variables still say sk-env-one

        JsonNode remote = named(server.admin(), "openai");
        assertThat(remote.get("source").asString()).isEqualTo("admin");
        assertThat(remote.get("replacesEnvironment").asBoolean()).isTrue();
        assertThat(modelIds(server.newUser())).contains("env-gpt");
        assertThat(openai.requests("/v1/models").getLast().bearerToken()).isEqualTo("sk-admin");
    }

    @Test
    @Order(6)
    void aConnectionIsTriedBeforeItIsSavedAndShowsTheModelsFound() {
        ApiClient admin = server.admin();
        int before = admin.get(CONNECTIONS).expect(200).json().size();

        Response works = admin.post(CONNECTIONS + "/test", Map.of("kind", "ollama",
                "baseUrl", ollama.ollamaBaseUrl().toString())).expect(200);
        assertThat(works.at("/ok").asBoolean()).isTrue();
        assertThat(works.at("/found/0").asString()).isEqualTo("env-llama");
        Response fails = admin.post(CONNECTIONS + "/test", Map.of("kind", "openai", "baseUrl", "http://127.0.0.1:9"))
                .expect(200);
        assertThat(fails.at("/ok").asBoolean()).isFalse();
        assertThat(fails.at("/error").asString()).contains("Could not reach the provider");
        admin.post(CONNECTIONS + "/test", Map.of("kind", "openai", "baseUrl", "ftp://x")).expectProblem(400, "validation");
        assertThat(admin.get(CONNECTIONS).expect(200).json().size()).isEqualTo(before);
        server.newUser().post(CONNECTIONS + "/test", Map.of("kind", "ollama", "baseUrl", "http://127.0.0.1:9"))
                .expect(403);
    }
}
