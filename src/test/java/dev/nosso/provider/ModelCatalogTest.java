package dev.nosso.provider;

import static dev.nosso.provider.ConnectionApiTest.CONNECTIONS;
import static dev.nosso.provider.ConnectionApiTest.closedPort;
import static dev.nosso.provider.ConnectionApiTest.connection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import tools.jackson.databind.JsonNode;

/**
 * The catalog merges every enabled connection's models, each provider listed in parallel within the timeout,
 * and shows users which providers fail; a completion goes to the connection that serves the model.
 */
class ModelCatalogTest extends ServerTest {

    private static final String MODELS = "/api/v1/models";
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(1);

    private final ScriptedUpstream remote = ScriptedUpstream.start();
    private final ScriptedUpstream local = ScriptedUpstream.start();
    private final ScriptedUpstream slow = ScriptedUpstream.start();
    private ApiClient admin;
    private ApiClient user;

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.models.list-timeout", LIST_TIMEOUT.toMillis() + "ms",
                "nosso.models.refresh-unknown-after", "0s");
    }

    @BeforeParameterizedClassInvocation
    void signIn() {
        admin = server.admin();
        user = server.newUser();
    }

    // One set of upstreams serves both databases' runs: the class's instance is shared by its invocations.
    @AfterAll
    void stopUpstreams() {
        remote.close();
        local.close();
        slow.close();
    }

    @AfterEach
    void removeEveryConnection() {
        ConnectionApiTest.deleteAll(admin);
        remote.reset();
        local.reset();
        slow.reset();
    }

    private String add(String kind, String name, Object baseUrl, String apiKey) {
        return admin.post(CONNECTIONS, connection(kind, name, baseUrl, apiKey)).expect(201).text("/id");
    }

    private static List<String> ids(Response models) {
        return StreamSupport.stream(models.at("/models").spliterator(), false).map(m -> m.get("id").asString()).toList();
    }

    private static JsonNode model(Response models, String id) {
        for (JsonNode m : models.at("/models")) {
            if (m.get("id").asString().equals(id)) {
                return m;
            }
        }
        throw new AssertionError("No model " + id + " in " + models.body());
    }

    private static JsonNode provider(Response models, String name) {
        for (JsonNode c : models.at("/connections")) {
            if (c.get("name").asString().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("No connection " + name + " in " + models.body());
    }

    @Test
    void theModelsOfAnOpenAiAndAnOllamaConnectionAreMergedAndTheEarlierKeepsASharedId() {
        remote.models("gpt-test", "shared");
        local.models("llama3:8b", "shared").contextLength("llama3:8b", 8192);
        String remoteId = add("openai", "remote", remote.openAiBaseUrl(), "sk-remote");
        String localId = add("ollama", "local", local.ollamaBaseUrl(), null);

        Response models = user.get(MODELS).expect(200);

        assertThat(ids(models)).containsExactly("gpt-test", "shared", "llama3:8b", "local/shared");
        assertThat(model(models, "shared").get("connectionId").asString()).isEqualTo(remoteId);
        JsonNode prefixed = model(models, "local/shared");
        assertThat(prefixed.get("connectionId").asString()).isEqualTo(localId);
        assertThat(prefixed.get("connectionName").asString()).isEqualTo("local");
        assertThat(prefixed.get("name").asString()).isEqualTo("shared");
        assertThat(model(models, "llama3:8b").get("contextLength").asInt()).isEqualTo(8192);
        assertThat(provider(models, "remote").get("healthy").asBoolean()).isTrue();
        assertThat(provider(models, "local").get("kind").asString()).isEqualTo("ollama");
        assertThat(provider(models, "local").get("error").isNull()).isTrue();
        assertThat(models.body()).doesNotContain(remote.openAiBaseUrl().toString()).doesNotContain("sk-remote");
    }

    @Test
    void aDeadAndASlowProviderAreShownUnhealthyWithoutHoldingUpTheHealthyOne() throws Exception {
        remote.models("fast-model");
        slow.models("slow-model").slow("/v1/models", Duration.ofSeconds(20));
        add("openai", "healthy", remote.openAiBaseUrl(), null);
        add("openai", "dead", "http://127.0.0.1:" + closedPort() + "/v1", null);
        add("openai", "slow", slow.openAiBaseUrl(), null);

        long started = System.nanoTime();
        Response models = user.get(MODELS).expect(200);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isLessThan(LIST_TIMEOUT.plusSeconds(2));
        assertThat(ids(models)).containsExactly("fast-model");
        assertThat(provider(models, "healthy").get("healthy").asBoolean()).isTrue();
        assertThat(provider(models, "dead").get("healthy").asBoolean()).isFalse();
        assertThat(provider(models, "dead").get("status").asString()).isEqualTo("unavailable");
        assertThat(provider(models, "slow").get("healthy").asBoolean()).isFalse();
        // Why is for administrators (ProviderErrorTest); users see only that it is unavailable.
        Response forAdmin = admin.get(MODELS).expect(200);
        assertThat(provider(forAdmin, "dead").get("error").asString()).isNotBlank();
        assertThat(provider(forAdmin, "slow").get("error").asString()).contains("within");
    }

    @Test
    void aDisabledConnectionAndItsModelsAreHidden() {
        remote.models("visible");
        local.models("hidden");
        add("openai", "on", remote.openAiBaseUrl(), null);
        String off = add("ollama", "off", local.ollamaBaseUrl(), null);
        assertThat(ids(user.get(MODELS).expect(200))).containsExactly("visible", "hidden");

        admin.patch(CONNECTIONS + "/" + off, Map.of("enabled", false)).expect(200);

        Response models = user.get(MODELS).expect(200);
        assertThat(ids(models)).containsExactly("visible");
        assertThat(models.at("/connections")).extracting(c -> c.get("name").asString()).containsExactly("on");
    }

    @Test
    void aProviderThatStopsAnsweringKeepsItsLastModelsAndIsShownUnhealthy() {
        remote.models("steady");
        String id = add("openai", "flaky", remote.openAiBaseUrl(), null);
        assertThat(ids(user.get(MODELS).expect(200))).containsExactly("steady");

        remote.fail("/v1/models", 503, "{\"error\": {\"message\": \"overloaded\"}}");
        Response test = admin.post(CONNECTIONS + "/" + id + "/test", null).expect(200); // disagrees: refetch

        assertThat(test.at("/ok").asBoolean()).isFalse();
        Response models = user.get(MODELS).expect(200);
        assertThat(ids(models)).containsExactly("steady");
        assertThat(provider(models, "flaky").get("healthy").asBoolean()).isFalse();
        assertThat(provider(admin.get(MODELS).expect(200), "flaky").get("error").asString()).contains("503");
    }

    @Test
    void aModelJustAddedUpstreamIsFoundWithoutWaitingForTheCache() {
        remote.models("old");
        add("openai", "growing", remote.openAiBaseUrl(), null);
        LanguageModels languageModels = server.context().getBean(LanguageModels.class);
        assertThat(languageModels.models()).extracting(Model::id).containsExactly("old");

        remote.models("old", "new");

        assertThat(languageModels.find("new")).map(Model::id).contains("new");
        assertThat(languageModels.find("never")).isEmpty();
    }

    @Test
    void aCompletionGoesToTheConnectionServingTheModelWithItsOwnIdAndKey() {
        remote.models("shared");
        local.models("shared").reply("shared", Script.tokens("Hel", "lo"));
        add("openai", "first", remote.openAiBaseUrl(), null);
        add("openai", "second", local.openAiBaseUrl(), "sk-second");
        LanguageModels languageModels = server.context().getBean(LanguageModels.class);
        List<String> deltas = new ArrayList<>();

        Completion completion = languageModels.stream(new CompletionRequest("second/shared",
                List.of(new PromptMessage("user", "Hi")), null, null), deltas::add, new Cancellation());

        assertThat(String.join("", deltas)).isEqualTo("Hello");
        assertThat(completion.finishReason()).isEqualTo("stop");
        assertThat(local.lastChat().model()).isEqualTo("shared");
        assertThat(local.lastChat().bearerToken()).isEqualTo("sk-second");
        assertThat(remote.requests("/v1/chat/completions")).isEmpty();
        assertThatThrownBy(() -> languageModels.stream(new CompletionRequest("nobody-serves-this",
                List.of(new PromptMessage("user", "Hi")), null, null), deltas::add, new Cancellation()))
                .isInstanceOf(UnknownModel.class);
    }

    @Test
    void theHealthEndpointStaysUpAndShowsAdministratorsEachProvider() throws Exception {
        remote.models("m");
        add("openai", "up", remote.openAiBaseUrl(), null);
        add("ollama", "down", "http://127.0.0.1:" + closedPort(), null);
        user.get(MODELS).expect(200); // the catalog is fetched by requests, never by the health check

        Response health = admin.get("/actuator/health").expect(200);

        assertThat(health.text("/status")).isEqualTo("UP");
        JsonNode providers = health.at("/components/providers");
        assertThat(providers.get("status").asString()).isEqualTo("UP");
        assertThat(providers.at("/details/unhealthy").asInt()).isEqualTo(1);
        Map<String, Boolean> healthy = new java.util.HashMap<>();
        for (JsonNode c : providers.at("/details/connections")) {
            healthy.put(c.get("name").asString(), c.get("healthy").asBoolean());
        }
        assertThat(healthy).isEqualTo(Map.of("up", true, "down", false));
        Response anonymous = server.anonymous().get("/actuator/health").expect(200);
        assertThat(anonymous.at("/components/providers/status").asString()).isEqualTo("UP");
        assertThat(anonymous.at("/components/providers/details").isMissingNode()).isTrue();
    }

    @Test
    void signedInUsersOnlySeeTheModels() {
        server.anonymous().get(MODELS).expectProblem(401, "unauthenticated");
        user.get(MODELS).expect(200);
    }
}
