package dev.nosso.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.Eventually;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import tools.jackson.databind.JsonNode;

/**
 * Per-user limits over real HTTP, on both databases: answers running at once, messages per minute, upload
 * bytes per day. Each refusal is 429 with {@code Retry-After} and a problem type of its own (OpenAI's error
 * shape on {@code /v1}), touches only the user over the limit, and the administrator sets the limits.
 */
class QuotaApiTest extends ServerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private ApiClient admin;
    private Map<String, Object> configured;

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                "nosso.models.refresh-unknown-after", "0s",
                "nosso.generation.titles", "false");
    }

    @BeforeParameterizedClassInvocation
    void readConfiguredLimits() {
        JsonNode limits = server.admin().get("/api/v1/admin/settings").expect(200).json();
        configured = Map.of("runningAnswersPerUser", limits.path("runningAnswersPerUser").asInt(),
                "messagesPerMinutePerUser", limits.path("messagesPerMinutePerUser").asInt(),
                "uploadBytesPerDayPerUser", limits.path("uploadBytesPerDayPerUser").asLong());
    }

    @BeforeEach
    void freshUpstream() {
        upstream.reset();
        upstream.models("m1");
        admin = server.admin();
    }

    @AfterEach
    void configuredLimitsAgain() {
        admin.patch("/api/v1/admin/settings", configured).expect(200);
    }

    @AfterAll
    void stopUpstream() {
        upstream.close();
    }

    @Test
    void theAdministratorSetsTheLimitsAndNoOneElseDoes() {
        JsonNode defaults = admin.get("/api/v1/admin/settings").expect(200).json();
        assertThat(defaults.path("runningAnswersPerUser").asInt()).isPositive();
        assertThat(defaults.path("signupDefaultRole").asString()).isEqualTo("user");

        JsonNode changed = admin.patch("/api/v1/admin/settings", Map.of("messagesPerMinutePerUser", 30,
                "uploadBytesPerDayPerUser", 5_000_000_000L)).expect(200).json();

        assertThat(changed.path("messagesPerMinutePerUser").asInt()).isEqualTo(30);
        assertThat(changed.path("uploadBytesPerDayPerUser").asLong()).isEqualTo(5_000_000_000L);
        assertThat(changed.path("runningAnswersPerUser").asInt())
                .isEqualTo(defaults.path("runningAnswersPerUser").asInt());
        assertThat(changed.path("signupDefaultRole").asString()).isEqualTo("user");
        // A refused change changes nothing, not even its valid fields.
        admin.patch("/api/v1/admin/settings", Map.of("signupEnabled", false, "runningAnswersPerUser", -1))
                .expectProblem(400, "validation");
        assertThat(admin.get("/api/v1/admin/settings").expect(200).json().path("signupEnabled").asBoolean()).isTrue();
        server.newUser().patch("/api/v1/admin/settings", Map.of("runningAnswersPerUser", 0)).expect(403);
    }

    @Test
    void anAnswerBeyondTheRunningLimitIs429UntilOneEnds() throws Exception {
        admin.patch("/api/v1/admin/settings", Map.of("runningAnswersPerUser", 2)).expect(200);
        ApiClient alice = server.newUser();
        ApiClient bob = server.newUser();
        String key = alice.post("/api/v1/api-keys", Map.of("name", "script")).expect(201).text("/key");
        CountDownLatch release = new CountDownLatch(1);
        upstream.reply("m1", Script.tokens("Still", " thinking").holdAfter(1, release));
        String chat = alice.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        String first = send(alice, chat).expect(202).text("/assistantMessage/id");
        send(alice, chat).expect(202);

        Response refused = send(alice, chat).expectProblem(429, "too-many-running-answers");
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
        assertThat(refused.text("/title")).isEqualTo("Too many answers running");
        alice.post("/api/v1/messages/" + first + "/regenerate", Map.of()).expectProblem(429, "too-many-running-answers");
        Response openAi = server.anonymous().withBearer(key).post("/v1/chat/completions", Map.of("model", "m1",
                "messages", List.of(Map.of("role", "user", "content", "Hi")))).expect(429);
        assertThat(openAi.text("/error/code")).isEqualTo("too_many_running_answers");
        assertThat(openAi.headers().firstValue("Retry-After")).isPresent();
        // Bob is not Alice.
        send(bob, bob.post("/api/v1/chats", Map.of()).expect(201).text("/id")).expect(202);

        release.countDown();
        Eventually.within(WAIT).alias("alice may ask again once her answers end")
                .until(() -> send(alice, chat).status() == 202);
    }

    @Test
    void aBurstOfTurnsStartsNoMoreAnswersThanTheLimit() throws Exception {
        admin.patch("/api/v1/admin/settings", Map.of("runningAnswersPerUser", 3)).expect(200);
        ApiClient alice = server.newUser();
        String chat = alice.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        // A first turn names the chat's model, so the burst's turns all take the common path (on PostgreSQL,
        // the one statement that counts and stores).
        upstream.reply("m1", Script.tokens("Done"));
        String first = send(alice, chat).expect(202).text("/assistantMessage/id");
        Eventually.within(WAIT).until(() -> "complete".equals(
                alice.get("/api/v1/messages/" + first).expect(200).text("/status")));
        CountDownLatch release = new CountDownLatch(1);
        upstream.reply("m1", Script.tokens("Still", " thinking").holdAfter(1, release));

        List<Integer> statuses;
        try (ExecutorService burst = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> sent = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                sent.add(burst.submit(() -> {
                    go.await();
                    return send(alice, chat).status();
                }));
            }
            go.countDown();
            statuses = new ArrayList<>();
            for (Future<Integer> f : sent) {
                statuses.add(f.get());
            }
        } finally {
            release.countDown();
        }

        assertThat(statuses).filteredOn(s -> s == 202).hasSize(3);
        assertThat(statuses).filteredOn(s -> s == 429).hasSize(9);
        // Nothing of a refused turn was stored: the first turn's two messages, and three more pairs.
        Eventually.within(WAIT).until(() -> alice.get("/api/v1/chats/" + chat).expect(200)
                .json().path("messageCount").asInt() == 8);
    }

    @Test
    void aMessageBeyondTheMinutesLimitIs429WithTheWaitUntilTheMinuteEnds() {
        admin.patch("/api/v1/admin/settings", Map.of("messagesPerMinutePerUser", 3)).expect(200);
        ApiClient alice = server.newUser();
        ApiClient bob = server.newUser();
        String chat = alice.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        for (int i = 0; i < 3; i++) {
            alice.post("/api/v1/chats/" + chat + "/messages", Map.of("content", "note " + i)).expect(201);
        }

        Response refused = alice.post("/api/v1/chats/" + chat + "/messages", Map.of("content", "one too many"))
                .expectProblem(429, "too-many-messages");

        assertThat(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
        assertThat(refused.text("/detail")).contains("3 messages");
        String bobs = bob.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        bob.post("/api/v1/chats/" + bobs + "/messages", Map.of("content", "hello")).expect(201);
        // Nothing of the refused message was stored.
        assertThat(alice.get("/api/v1/chats/" + chat + "/messages").expect(200).at("/items").size()).isEqualTo(3);
    }

    @Test
    void anUploadPastTheDaysBytesIs429AndTheSameBytesAgainCostNothing() {
        admin.patch("/api/v1/admin/settings", Map.of("uploadBytesPerDayPerUser", 100)).expect(200);
        ApiClient alice = server.newUser();
        ApiClient bob = server.newUser();
        byte[] first = bytes('a', 60);
        alice.upload("/api/v1/files", "a.txt", "text/plain", first, Map.of()).expect(201);

        Response refused = alice.upload("/api/v1/files", "b.txt", "text/plain", bytes('b', 60), Map.of())
                .expectProblem(429, "upload-quota-exceeded");

        long wait = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(wait).isBetween(Duration.ofHours(23).toSeconds(), Duration.ofDays(1).toSeconds());
        assertThat(alice.upload("/api/v1/files", "again.txt", "text/plain", first, Map.of()).status()).isLessThan(300);
        alice.upload("/api/v1/files", "small.txt", "text/plain", bytes('c', 40), Map.of()).expect(201);
        bob.upload("/api/v1/files", "b.txt", "text/plain", bytes('b', 60), Map.of()).expect(201);
        assertThat(alice.get("/api/v1/files").expect(200).at("/items").size()).isEqualTo(2);
    }

    private static Response send(ApiClient client, String chatId) {
        Map<String, Object> body = new HashMap<>();
        body.put("content", "Think about it");
        body.put("model", "m1");
        return client.post("/api/v1/chats/" + chatId + "/messages", body);
    }

    private static byte[] bytes(char c, int n) {
        return String.valueOf(c).repeat(n).getBytes(StandardCharsets.UTF_8);
    }
}
