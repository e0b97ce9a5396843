package dev.nosso.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerProcess;
import dev.nosso.support.SseStream;
import dev.nosso.support.SseStream.Event;
import dev.nosso.support.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The durability contract under the worst case: the server is killed with SIGKILL while it streams an
 * answer, and started again on the same database. The question is there, and the answer is
 * {@code interrupted} with all of the text the client saw, but for at most about a checkpoint interval. The
 * same holds for a completion of the OpenAI-compatible API asked to be stored, streamed at the same time.
 */
class CrashTest {

    private static final int TOKENS_PER_SECOND = 50;

    @ParameterizedTest(name = "on {0}")
    @EnumSource(Dialect.class)
    void anAnswerStreamingWhenTheServerIsKilledKeepsItsTextAndBecomesInterrupted(Dialect dialect) throws Exception {
        try (TestDatabase database = TestDatabase.fresh(dialect);
             ScriptedUpstream upstream = ScriptedUpstream.start()) {
            upstream.models("slow").reply("slow", Script.repeat("word ", 5_000)
                    .delay(Duration.ofMillis(1000 / TOKENS_PER_SECOND)));
            Map<String, Object> settings = Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                    "nosso.generation.titles", "false");

            String chatId;
            String questionId;
            String answerId;
            String seen;
            StringBuilder seenThroughApi = new StringBuilder();
            try (ServerProcess first = ServerProcess.start(database, settings)) {
                ApiClient admin = first.admin();
                String key = admin.post("/api/v1/api-keys", Map.of("name", "client")).expect(201).text("/key");
                SseStream completion = first.anonymous().withBearer(key).streamPost("/v1/chat/completions",
                        Map.of("model", "slow", "stream", true, "store", true,
                                "messages", List.of(Map.of("role", "user", "content", "Talk through the API"))));
                Thread apiReader = Thread.ofVirtual().start(() -> {
                    try (completion) {
                        while (true) {
                            String piece = completion.next(Duration.ofSeconds(30)).data()
                                    .at("/choices/0/delta/content").asString("");
                            synchronized (seenThroughApi) {
                                seenThroughApi.append(piece);
                            }
                        }
                    } catch (AssertionError | RuntimeException ended) {
                        // the server was killed: the stream ends here
                    }
                });
                chatId = admin.post("/api/v1/chats", Map.of("title", "Before the crash")).expect(201).text("/id");
                ApiClient.Response sent = admin.post("/api/v1/chats/" + chatId + "/messages",
                        Map.of("content", "Talk for a long time about Quetzalcoatl", "model", "slow")).expect(202);
                questionId = sent.text("/userMessage/id");
                answerId = sent.text("/assistantMessage/id");
                StringBuilder text = new StringBuilder();
                try (SseStream stream = admin.stream(sent.text("/streamUrl"))) {
                    long until = System.nanoTime() + Duration.ofMillis(2_500).toNanos();
                    while (System.nanoTime() < until) {
                        Event event = stream.next(Duration.ofSeconds(10));
                        assertThat(event.name()).isEqualTo("delta");
                        text.append(event.text());
                    }
                    first.kill();
                }
                seen = text.toString();
                apiReader.join(Duration.ofSeconds(30));
            }
            assertThat(seen.length()).isGreaterThan(200);
            String seenApi;
            synchronized (seenThroughApi) {
                seenApi = seenThroughApi.toString();
            }
            assertThat(seenApi.length()).isGreaterThan(200);

            try (ServerProcess second = ServerProcess.start(database, settings)) {
                ApiClient admin = second.admin();
                JsonNode question = admin.get("/api/v1/messages/" + questionId).expect(200).json();
                assertThat(question.path("content").asString()).isEqualTo("Talk for a long time about Quetzalcoatl");
                // On SQLite the new process marks it at start-up; on PostgreSQL, where other nodes may be
                // generating answers, once the killed node's lease has run out (which it may have already).
                JsonNode answer = Eventually.within(Duration.ofSeconds(20)).until(
                        () -> admin.get("/api/v1/messages/" + answerId).expect(200).json(),
                        json -> json.path("status").asString().equals("interrupted"));
                assertThat(answer.path("error").asString()).isNotBlank();
                String kept = answer.path("content").asString();
                assertKeptAllButAboutASecond(kept, seen);

                // The stored completion: its chat holds the question and the interrupted answer with its text.
                JsonNode apiChat = admin.get("/api/v1/chats").expect(200).json();
                String apiChatId = null;
                for (JsonNode chat : apiChat.path("items")) {
                    if (chat.path("title").asString().equals("Talk through the API")) {
                        apiChatId = chat.path("id").asString();
                    }
                }
                assertThat(apiChatId).as(apiChat.toString()).isNotNull();
                JsonNode apiBranch = admin.get("/api/v1/chats/" + apiChatId + "/messages").expect(200).json();
                JsonNode apiMessages = apiBranch.path("items");
                assertThat(apiMessages.size()).as(apiBranch.toString()).isEqualTo(2);
                assertThat(apiMessages.get(0).path("content").asString()).isEqualTo("Talk through the API");
                JsonNode apiAnswer = apiMessages.get(1);
                assertThat(apiAnswer.path("status").asString()).isEqualTo("interrupted");
                assertKeptAllButAboutASecond(apiAnswer.path("content").asString(), seenApi);

                // Remembered as if the answer had ended: the question (a turn leaves it to its answer's end)
                // and the text that was kept.
                Eventually.within(Duration.ofSeconds(20)).alias("the question is in memory")
                        .until(() -> remembered(admin, "Quetzalcoatl"), ids -> ids.contains(questionId));
                Eventually.within(Duration.ofSeconds(20)).alias("the kept answer is in memory")
                        .until(() -> remembered(admin, "word"), ids -> ids.contains(answerId));

                JsonNode branch = admin.get("/api/v1/chats/" + chatId + "/messages").expect(200).json();
                assertThat(branch.path("activeLeafId").asString()).isEqualTo(answerId);
                // The stream of an interrupted answer replays what was kept, then ends.
                try (SseStream replay = admin.stream("/api/v1/messages/" + answerId + "/stream")) {
                    var events = replay.untilEnd(Duration.ofSeconds(10));
                    assertThat(SseStream.text(events)).isEqualTo(kept);
                    assertThat(events.getLast().data().path("status").asString()).isEqualTo("interrupted");
                }
            }
        }
    }

    /** The ids of the remembered messages whose text has {@code word}. */
    private static List<String> remembered(ApiClient client, String word) {
        JsonNode body = client.post("/api/v1/search", Map.of("query", word, "mode", "keyword", "memory", true, "k", 50))
                .expect(200).json();
        List<String> ids = new ArrayList<>();
        body.path("results").forEach(r -> ids.add(r.path("sourceId").asString()));
        return ids;
    }

    /** The checkpoint may hold a little more than the client had read, or up to about a second less. */
    private static void assertKeptAllButAboutASecond(String kept, String seen) {
        String common = kept.length() <= seen.length() ? kept : kept.substring(0, seen.length());
        assertThat(seen).startsWith(common);
        int perSecond = TOKENS_PER_SECOND * "word ".length();
        assertThat(seen.length() - kept.length()).isLessThanOrEqualTo(perSecond * 3 / 2);
    }
}
