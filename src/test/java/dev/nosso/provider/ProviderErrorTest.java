package dev.nosso.provider;

import static dev.nosso.provider.ConnectionApiTest.CONNECTIONS;
import static dev.nosso.provider.ConnectionApiTest.connection;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import dev.nosso.support.SseStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import tools.jackson.databind.JsonNode;

/**
 * A provider that fails with a long error body, holding a fake secret and control characters, as a proxy in
 * front of a model might: users learn that it is unavailable and why their answer failed in a short reason,
 * never its body, its address or the secret; administrators get a bounded, sanitised reason. Over every
 * route the text could take: the catalog, the chat screen, a stored answer, its SSE stream, and /v1.
 */
class ProviderErrorTest extends ServerTest {

    private static final String SECRET = "sk-live-Zq8p3LwX9rT2vB7nK4mD1fH6";
    private static final String BODY = "{\"error\": {\"message\": \"upstream exploded\\r\\n\\u001b[31m while calling "
            + "backend with Authorization: Bearer " + SECRET + " and api_key=hunter2hunter2 "
            + "x".repeat(600) + "\"}}";
    private static final int MAX_REASON = 200;

    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private ApiClient admin;
    private ApiClient user;
    private String hostAndPort;

    @BeforeParameterizedClassInvocation
    void signIn() {
        admin = server.admin();
        user = server.newUser();
        hostAndPort = upstream.openAiBaseUrl().getHost() + ":" + upstream.port();
    }

    @AfterEach
    void removeConnections() {
        ConnectionApiTest.deleteAll(admin);
        upstream.reset();
    }

    @AfterAll
    void stopUpstream() {
        upstream.close();
    }

    private void connect() {
        admin.post(CONNECTIONS, connection("openai", "proxied", upstream.openAiBaseUrl(), "sk-connection-key-123"))
                .expect(201);
    }

    private void assertSafe(String reason) {
        assertThat(reason).isNotBlank().hasSizeLessThanOrEqualTo(MAX_REASON)
                .doesNotContain(SECRET).doesNotContain("hunter2").doesNotContain("sk-connection-key-123")
                .doesNotContain(hostAndPort).doesNotContain("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        assertThat(reason.chars().noneMatch(Character::isISOControl)).as(reason).isTrue();
    }

    private static JsonNode provider(Response models) {
        return models.at("/connections").get(0);
    }

    @Test
    void usersSeeThatAProviderIsUnavailableAndAdministratorsSeeABoundedSanitisedReason() {
        upstream.fail("/v1/models", 500, BODY);
        connect();

        Response forUser = user.get("/api/v1/models").expect(200);
        assertThat(provider(forUser).path("healthy").asBoolean()).isFalse();
        assertThat(provider(forUser).path("status").asString()).isEqualTo("unavailable");
        assertThat(provider(forUser).path("error").isNull()).isTrue();
        assertThat(forUser.body()).doesNotContain("exploded").doesNotContain(SECRET).doesNotContain(hostAndPort);
        Response screen = user.get("/api/v1/pages/chat").expect(200);
        assertThat(screen.body()).doesNotContain("exploded").doesNotContain(SECRET).doesNotContain(hostAndPort);

        Response forAdmin = admin.get("/api/v1/models").expect(200);
        String reason = provider(forAdmin).path("error").asString();
        assertThat(reason).startsWith("The provider answered 500: upstream exploded");
        assertSafe(reason);
        JsonNode listed = admin.get(CONNECTIONS).expect(200).json().get(0);
        assertSafe(listed.at("/health/error").asString());
        assertSafe(admin.post(CONNECTIONS + "/" + listed.path("id").asString() + "/test", null).expect(200)
                .text("/error"));
    }

    @Test
    void aFailedAnswerSaysTheProviderFailedInAShortReasonOnEveryRoute() {
        upstream.models("m1");
        upstream.reply("m1", Script.httpError(500, BODY));
        connect();
        String chat = user.post("/api/v1/chats", Map.of()).expect(201).text("/id");

        Response sent = user.post("/api/v1/chats/" + chat + "/messages", Map.of("content", "hi", "model", "m1"))
                .expect(202);
        List<SseStream.Event> events;
        try (SseStream stream = user.stream(sent.text("/streamUrl"))) {
            events = stream.untilEnd(Duration.ofSeconds(20));
        }
        SseStream.Event end = events.getLast();
        assertThat(end.name()).isEqualTo("error");
        assertSafe(end.data().path("reason").asString());
        assertThat(end.data().path("reason").asString()).contains("500").contains("upstream exploded");
        assertSafe(user.get("/api/v1/messages/" + sent.text("/assistantMessage/id")).expect(200).text("/error"));

        String key = user.post("/api/v1/api-keys", Map.of("name", "sdk")).expect(201).text("/key");
        Response completion = server.anonymous().withBearer(key).post("/v1/chat/completions",
                Map.of("model", "m1", "messages", List.of(Map.of("role", "user", "content", "hi"))));
        assertThat(completion.status()).isEqualTo(502);
        assertSafe(completion.text("/error/message"));
    }
}
