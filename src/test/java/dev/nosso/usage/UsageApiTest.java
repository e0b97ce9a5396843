package dev.nosso.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.Eventually;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Usage report and token budgets over real HTTP, on both databases: the report adds up exactly the answers
 * that were given (stored ones, and /v1's unstored ones), only an administrator reads it or sets budgets, and a
 * spent budget refuses turns on the REST API and on /v1 (through OpenAI's own SDK) until its period ends.
 * Each test uses models of its own, so that the figures per model are its own whatever ran before.
 */
class UsageApiTest extends ServerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private ApiClient admin;

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                "nosso.models.refresh-unknown-after", "0s",
                "nosso.generation.titles", "false");
    }

    @BeforeEach
    void freshUpstream() {
        upstream.reset();
        upstream.models("report-a", "report-b", "budget-a", "reset-a", "guard-a");
        admin = server.admin();
    }

    @AfterAll
    void stopUpstream() {
        upstream.close();
    }

    @Test
    void theReportAddsUpExactlyTheAnswersGiven() {
        ApiClient alice = server.newUser();
        ApiClient bob = server.newUser();
        String bobKey = bob.post("/api/v1/api-keys", Map.of("name", "script")).expect(201).text("/key");
        JsonNode before = admin.get("/api/v1/admin/usage").expect(200).json();

        upstream.replyOnce("report-a", Script.tokens("One").usage(10, 20));
        upstream.replyOnce("report-a", Script.tokens("Two").usage(5, 7));
        String chat = alice.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        awaitEnd(alice, ask(alice, chat, "report-a"));
        awaitEnd(alice, ask(alice, chat, "report-a"));
        // An answer of /v1 that is not stored counts too.
        upstream.replyOnce("report-b", Script.tokens("Three").usage(3, 4));
        server.anonymous().withBearer(bobKey).post("/v1/chat/completions", Map.of("model", "report-b",
                "messages", List.of(Map.of("role", "user", "content", "Hi")))).expect(200);

        JsonNode report = admin.get("/api/v1/admin/usage").expect(200).json();

        JsonNode a = model(report, "report-a");
        assertThat(a.at("/figures/answers").asLong()).isEqualTo(2);
        assertThat(a.at("/figures/promptTokens").asLong()).isEqualTo(15);
        assertThat(a.at("/figures/completionTokens").asLong()).isEqualTo(27);
        assertThat(a.at("/figures/meanTimeToFirstTokenMs").isNumber()).isTrue();
        JsonNode b = model(report, "report-b");
        assertThat(b.at("/figures/answers").asLong()).isEqualTo(1);
        assertThat(b.at("/figures/promptTokens").asLong()).isEqualTo(3);
        assertThat(b.at("/figures/completionTokens").asLong()).isEqualTo(4);
        JsonNode aliceFigures = user(report, id(alice));
        assertThat(aliceFigures.at("/figures/answers").asLong()).isEqualTo(2);
        assertThat(aliceFigures.at("/figures/promptTokens").asLong() + aliceFigures.at("/figures/completionTokens").asLong())
                .isEqualTo(42);
        assertThat(user(report, id(bob)).at("/figures/completionTokens").asLong()).isEqualTo(4);
        // Today's figures grew by exactly these three answers; every day of the 30 is there.
        assertThat(report.path("days").size()).isEqualTo(30);
        JsonNode today = report.path("days").get(29);
        assertThat(today.path("day").asString()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        JsonNode todayBefore = before.path("days").get(29);
        assertThat(today.at("/figures/answers").asLong() - todayBefore.at("/figures/answers").asLong()).isEqualTo(3);
        assertThat(today.at("/figures/promptTokens").asLong() - todayBefore.at("/figures/promptTokens").asLong())
                .isEqualTo(18);

        String csv = admin.get("/api/v1/admin/usage.csv").expect(200).body();
        assertThat(csv).startsWith("section,key,name,answers,prompt_tokens,completion_tokens,tokens,");
        assertThat(csv).contains("\r\nmodel,report-a,,2,15,27,42,", "\r\nmodel,report-b,,1,3,4,7,");
        assertThat(csv).contains("\r\nuser," + email(alice) + ",");
    }

    @Test
    void aPeriodIsChosenByDatesAndAWrongOneIs400() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        JsonNode week = admin.get("/api/v1/admin/usage?from=" + today.minusDays(6) + "&to=" + today).expect(200).json();
        assertThat(week.path("days").size()).isEqualTo(7);
        assertThat(week.path("from").asString()).isEqualTo(today.minusDays(6).toString());
        assertThat(admin.get("/api/v1/admin/usage?from=" + today.minusDays(89)).expect(200).json().path("days").size())
                .isEqualTo(90);

        admin.get("/api/v1/admin/usage?from=yesterday").expectProblem(400, "invalid-period");
        admin.get("/api/v1/admin/usage?from=" + today + "&to=" + today.minusDays(1)).expectProblem(400, "invalid-period");
        admin.get("/api/v1/admin/usage?from=" + today.minusDays(400) + "&to=" + today).expectProblem(400, "invalid-period");
        admin.put("/api/v1/admin/budgets/default", Map.of("tokens", -1)).expectProblem(400, "validation");
        admin.put("/api/v1/admin/budgets/default", Map.of("tokens", 5, "period", "week")).expectProblem(400, "validation");
        admin.put("/api/v1/admin/budgets/users/" + UUID.randomUUID(), Map.of("tokens", 5)).expectProblem(404, "user-not-found");
    }

    @Test
    void onlyAnAdministratorReadsUsageAndSetsBudgets() {
        ApiClient alice = server.newUser();
        alice.get("/api/v1/admin/usage").expect(403);
        alice.get("/api/v1/admin/usage.csv").expect(403);
        alice.get("/api/v1/admin/budgets").expect(403);
        alice.put("/api/v1/admin/budgets/default", Map.of("tokens", 1, "period", "day")).expect(403);
        alice.put("/api/v1/admin/budgets/users/" + id(alice), Map.of("tokens", 0)).expect(403);
        server.anonymous().get("/api/v1/admin/usage").expect(401);
        server.anonymous().get("/api/v1/budget").expect(401);
        // Her own budget she reads: unlimited by default.
        JsonNode mine = alice.get("/api/v1/budget").expect(200).json();
        assertThat(mine.path("tokens").asLong()).isZero();
        assertThat(mine.path("remaining").isNull()).isTrue();
    }

    @Test
    void aSpentBudgetRefusesTurnsOnRestAndOpenAiUntilThePeriodEnds() {
        ApiClient alice = server.newUser();
        ApiClient bob = server.newUser();
        String key = alice.post("/api/v1/api-keys", Map.of("name", "sdk")).expect(201).text("/key");
        admin.put("/api/v1/admin/budgets/users/" + id(alice), Map.of("tokens", 30, "period", "day")).expect(200);
        JsonNode fresh = alice.get("/api/v1/budget").expect(200).json();
        assertThat(fresh.path("remaining").asLong()).isEqualTo(30);
        assertThat(fresh.path("own").asBoolean()).isTrue();

        // The answer that crosses the line is finished: the next turn is refused.
        upstream.reply("budget-a", Script.tokens("Long", " answer").usage(10, 25));
        String chat = alice.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        awaitEnd(alice, ask(alice, chat, "budget-a"));

        Response refused = alice.post("/api/v1/chats/" + chat + "/messages", Map.of("content", "more",
                "model", "budget-a")).expectProblem(429, "token-budget-spent");
        Instant midnight = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        assertThat(refused.text("/resetsAt")).isEqualTo(midnight.toString());
        assertThat(refused.json().path("spentTokens").asLong()).isEqualTo(35);
        assertThat(refused.json().path("budgetTokens").asLong()).isEqualTo(30);
        assertThat(refused.text("/title")).isEqualTo("Token budget spent");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 86_400L);
        // Nothing of the refused turn was stored.
        assertThat(alice.get("/api/v1/chats/" + chat + "/messages").expect(200).at("/items").size()).isEqualTo(2);

        OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey(key).maxRetries(0)
                .build();
        try {
            RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> sdk.chat().completions()
                    .create(ChatCompletionCreateParams.builder().model("budget-a").addUserMessage("Hi").build()));
            assertThat(e.statusCode()).isEqualTo(429);
            assertThat(e.code()).contains("token_budget_spent");
            assertThat(e.type()).contains("insufficient_quota");
        } finally {
            sdk.close();
        }

        JsonNode left = alice.get("/api/v1/budget").expect(200).json();
        assertThat(left.path("spent").asLong()).isEqualTo(35);
        assertThat(left.path("remaining").asLong()).isZero();
        assertThat(left.path("resetsAt").asString()).isEqualTo(midnight.toString());
        // Bob is not Alice; and a larger budget lets Alice go on at once, on every node's next read.
        String bobs = bob.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        awaitEnd(bob, ask(bob, bobs, "budget-a"));
        admin.put("/api/v1/admin/budgets/users/" + id(alice), Map.of("tokens", 100, "period", "day")).expect(200);
        awaitEnd(alice, ask(alice, chat, "budget-a"));
    }

    @Test
    void aBudgetCountsOnlyItsOwnPeriod() throws Exception {
        ApiClient alice = server.newUser();
        UUID aliceId = UUID.fromString(id(alice));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate yesterday = today.minusDays(1);
        spend(aliceId, yesterday, 1_000);
        spend(aliceId, today.minusDays(40), 1_000);

        // A daily budget starts again each UTC day: yesterday's thousand tokens do not count today.
        admin.put("/api/v1/admin/budgets/users/" + aliceId, Map.of("tokens", 500, "period", "day")).expect(200);
        assertThat(alice.get("/api/v1/budget").expect(200).json().path("remaining").asLong()).isEqualTo(500);
        upstream.reply("reset-a", Script.tokens("Fine").usage(1, 1));
        String chat = alice.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        awaitEnd(alice, ask(alice, chat, "reset-a"));

        // A monthly one counts every day of this calendar month, and nothing before it.
        admin.put("/api/v1/admin/budgets/users/" + aliceId, Map.of("tokens", 500, "period", "month")).expect(200);
        boolean sameMonth = yesterday.getMonth() == today.getMonth();
        JsonNode month = alice.get("/api/v1/budget").expect(200).json();
        assertThat(month.path("spent").asLong()).isEqualTo(sameMonth ? 1_002 : 2);
        assertThat(month.path("resetsAt").asString())
                .isEqualTo(today.withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
        Response next = ask(alice, chat, "reset-a");
        if (sameMonth) {
            next.expectProblem(429, "token-budget-spent");
        } else {
            awaitEnd(alice, next);
        }

        // The default applies to whoever has no budget of their own; 0 of one's own is unlimited whatever it says.
        admin.delete("/api/v1/admin/budgets/users/" + aliceId).expect(204);
        admin.put("/api/v1/admin/budgets/default", Map.of("tokens", 1, "period", "day")).expect(200);
        try {
            assertThat(alice.get("/api/v1/budget").expect(200).json().path("own").asBoolean()).isFalse();
            ask(alice, chat, "reset-a").expectProblem(429, "token-budget-spent");
            admin.put("/api/v1/admin/budgets/users/" + aliceId, Map.of("tokens", 0, "period", "day")).expect(200);
            awaitEnd(alice, ask(alice, chat, "reset-a"));
            JsonNode list = admin.get("/api/v1/admin/budgets").expect(200).json();
            assertThat(list.at("/defaults/tokens").asLong()).isEqualTo(1);
            assertThat(list.path("users").valueStream().anyMatch(u -> u.path("userId").asString().equals(aliceId.toString())))
                    .isTrue();
        } finally {
            admin.put("/api/v1/admin/budgets/default", Map.of("tokens", 0, "period", "month")).expect(200);
        }
    }

    private Response ask(ApiClient user, String chat, String model) {
        return user.post("/api/v1/chats/" + chat + "/messages", Map.of("content", "Tell me", "model", model));
    }

    private static void awaitEnd(ApiClient user, Response sent) {
        String answer = sent.expect(202).text("/assistantMessage/id");
        Eventually.within(WAIT).alias("the answer ends").until(() -> user.get("/api/v1/messages/" + answer)
                .expect(200).json(), m -> m.path("status").asString().equals("complete"));
    }

    /** Tokens spent on a past day, as the roll-up holds them. */
    private void spend(UUID user, LocalDate day, long tokens) throws Exception {
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO usage_days (day, user_id, model, answers, prompt_tokens, completion_tokens, first_token_ms,
                                        first_tokens, tokens_per_second, speeds)
                VALUES (?, ?, 'past', 1, ?, 0, 0, 0, 0, 0)""")) {
            ps.setInt(1, (int) day.toEpochDay());
            ps.setObject(2, dialect == Dialect.POSTGRESQL ? user : user.toString());
            ps.setLong(3, tokens);
            ps.executeUpdate();
        }
    }

    private static String id(ApiClient user) {
        return user.get("/api/v1/auth/me").expect(200).text("/id");
    }

    private static String email(ApiClient user) {
        return user.get("/api/v1/auth/me").expect(200).text("/email");
    }

    private static JsonNode model(JsonNode report, String model) {
        return report.path("models").valueStream().filter(m -> m.path("model").asString().equals(model)).findFirst()
                .orElseThrow(() -> new AssertionError("no model " + model + " in " + report));
    }

    private static JsonNode user(JsonNode report, String id) {
        return report.path("users").valueStream().filter(u -> u.path("userId").asString().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no user " + id + " in " + report));
    }
}
