package dev.nosso.platform;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import dev.nosso.support.PostgresCluster;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.SseStream;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL stopped under a running server, on a cluster of the test's own: while it is away a request is
 * told so within a few seconds (503 {@code database-unavailable} with {@code Retry-After}), from a controller
 * and from the session look-up before any controller alike, and the health check says {@code DOWN} at once.
 * When it is back the server serves again by itself, nothing acknowledged is lost, and an answer that was
 * streaming across the outage ends {@code complete} with its whole text.
 */
class DatabaseOutageTest {

    private static final Duration TOLD_WITHIN = Duration.ofSeconds(10);

    @Test
    void aStoppedDatabaseIsAnsweredAt503WithRetryAfterAndTheServerRecoversWhenItIsBack() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.start();
             TestDatabase database = TestDatabase.postgresAt(cluster.url());
             ScriptedUpstream upstream = ScriptedUpstream.start()) {
            Script.Gate gate = new Script.Gate();
            upstream.models("m").reply("m", Script.repeat("word ", 200).holdAfter(50, gate));
            try (TestServer server = TestServer.start(database, Map.of(
                    "nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                    "nosso.generation.titles", "false"))) {
                ApiClient alice = server.newUser();
                List<String> acknowledged = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    acknowledged.add(alice.post("/api/v1/chats", Map.of("title", "Kept " + i)).expect(201).text("/id"));
                }
                ApiClient.Response turn = alice.post("/api/v1/chats/" + acknowledged.getFirst() + "/messages",
                        Map.of("content", "Talk across the outage", "model", "m")).expect(202);
                String answerId = turn.text("/assistantMessage/id");
                gate.awaitReached(Duration.ofSeconds(20));

                cluster.stop();

                long start = System.nanoTime();
                ApiClient.Response refused = alice.post("/api/v1/chats", Map.of("title", "Not stored"));
                assertTold(refused, start, "a controller's write");
                start = System.nanoTime();
                assertTold(alice.get("/api/v1/chats"), start, "a controller's read");
                // A session not cached: the look-up before any controller meets the database.
                start = System.nanoTime();
                assertTold(server.anonymous().send("GET", "/api/v1/chats", null, "Cookie", "nosso_session=unknown"),
                        start, "the session look-up");

                // The OpenAI-compatible API says it in OpenAI's error shape, which its clients parse.
                start = System.nanoTime();
                ApiClient.Response openAi = server.anonymous().withBearer("nsk_" + "x".repeat(43)).get("/v1/models");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TOLD_WITHIN);
                assertThat(openAi.status()).as(openAi.body()).isEqualTo(503);
                assertThat(openAi.text("/error/code")).isEqualTo("database_unavailable");
                assertThat(openAi.headers().firstValue("Retry-After")).isPresent();

                start = System.nanoTime();
                ApiClient.Response health = server.anonymous().getAny("/actuator/health");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
                assertThat(health.status()).isEqualTo(503);
                assertThat(health.json().path("status").asString()).isEqualTo("DOWN");

                cluster.startAgain();
                gate.release();

                JsonNode chats = Eventually.within(Duration.ofSeconds(20)).until(
                        () -> alice.get("/api/v1/chats?limit=50"), r -> r.status() == 200).json();
                List<String> listed = new ArrayList<>();
                chats.path("items").forEach(c -> listed.add(c.path("id").asString()));
                assertThat(listed).containsAll(acknowledged);
                assertThat(chats.toString()).doesNotContain("Not stored");
                assertThat(server.anonymous().getAny("/actuator/health").json().path("status").asString())
                        .isEqualTo("UP");
                JsonNode answer = Eventually.within(Duration.ofSeconds(30)).until(
                        () -> alice.get("/api/v1/messages/" + answerId).expect(200).json(),
                        m -> !m.path("status").asString().equals("streaming"));
                assertThat(answer.path("status").asString()).isEqualTo("complete");
                assertThat(answer.path("content").asString()).isEqualTo("word ".repeat(200));
            }
        }
    }

    /**
     * Requests keep coming while the database stops, so some hold a connection when it goes (a turn, a chat's
     * page of messages, a chat created) and others start while it is away: each is answered 2xx or 503
     * {@code database-unavailable} with {@code Retry-After}, never a 500 and never after the bound. An answer that
     * ends while the database is away waits, live, until its end can be stored, and is then {@code complete}
     * with its whole text; no answer stays {@code streaming}. Everything that got a 2xx is there afterwards. The
     * log says the outage once at WARN and its end once at INFO, and nothing at ERROR.
     */
    @Test
    void requestsInFlightWhenTheDatabaseStopsAreAnsweredAndNothingAcknowledgedIsLost() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.start();
             TestDatabase database = TestDatabase.postgresAt(cluster.url());
             ScriptedUpstream upstream = ScriptedUpstream.start()) {
            Script.Gate gate = new Script.Gate();
            upstream.models("m", "fast").reply("m", Script.repeat("word ", 200).holdAfter(50, gate))
                    .reply("fast", Script.repeat("ok ", 20));
            try (TestServer server = TestServer.start(database, Map.of(
                    "nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                    "nosso.generation.titles", "false"))) {
                ApiClient alice = server.newUser();
                String chat = alice.post("/api/v1/chats", Map.of("title", "Across")).expect(201).text("/id");
                ApiClient.Response turn = alice.post("/api/v1/chats/" + chat + "/messages",
                        Map.of("content", "Talk across the outage", "model", "m")).expect(202);
                gate.awaitReached(Duration.ofSeconds(20));
                List<Load> load = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    load.add(new Load(server.newUser()));
                }
                load.forEach(Load::start);
                Eventually.within(Duration.ofSeconds(20)).until(() -> load.stream().mapToInt(Load::acknowledged).min()
                        .orElse(0), n -> n >= 3);

                try (SseStream stream = alice.stream(turn.text("/streamUrl"));
                     CapturedLog log = CapturedLog.start()) {
                    long stopped = System.nanoTime();
                    cluster.stop();
                    Eventually.within(Duration.ofSeconds(30)).until(() -> load.stream().mapToInt(Load::refused).min()
                            .orElse(0), n -> n >= 2);
                    // The answer ends while the database is away: its stream gets the whole text, not the end.
                    gate.release();
                    StringBuilder seen = new StringBuilder();
                    while (seen.length() < "word ".length() * 200) {
                        SseStream.Event event = stream.next(Duration.ofSeconds(10));
                        assertThat(event.name()).as("the answer cannot end while its end is not stored")
                                .isNotIn("done", "error");
                        if (event.name().equals("delta")) {
                            seen.append(event.text());
                        }
                    }
                    Thread.sleep(2_000); // its end is tried and refused a few times

                    cluster.startAgain();
                    List<SseStream.Event> rest = stream.untilEnd(Duration.ofSeconds(30));
                    assertThat(rest.getLast().name()).isEqualTo("done");
                    assertThat(rest.getLast().data().path("status").asString()).isEqualTo("complete");
                    Eventually.within(Duration.ofSeconds(20)).until(() -> load.stream().mapToInt(Load::acknowledged)
                            .min().orElse(0), n -> n >= 6);
                    load.forEach(Load::stop);

                    int inFlight = 0;
                    for (Load l : load) {
                        assertThat(l.faults).as("answers other than 2xx and 503 database-unavailable").isEmpty();
                        inFlight += (int) l.spans.stream().filter(span -> span[0] < stopped && span[1] > stopped)
                                .count();
                    }
                    System.out.println("DatabaseOutageTest: " + inFlight + " requests were in flight while "
                            + "PostgreSQL stopped; " + load.stream().mapToInt(Load::refused).sum() + " answered 503");
                    Eventually.within(Duration.ofSeconds(10)).until(() -> log.count(Level.INFO, "reachable again"),
                            n -> n == 1);
                    assertThat(log.at(Level.ERROR)).as("ERROR lines during the outage").isEmpty();
                    assertThat(log.count(Level.WARN, "cannot be reached")).isEqualTo(1);
                }

                JsonNode answer = alice.get("/api/v1/messages/" + turn.text("/assistantMessage/id")).expect(200).json();
                assertThat(answer.path("status").asString()).isEqualTo("complete");
                assertThat(answer.path("content").asString()).isEqualTo("word ".repeat(200));
                for (Load l : load) {
                    for (String chatId : l.chats) {
                        l.user.get("/api/v1/chats/" + chatId).expect(200);
                    }
                    for (String[] sent : l.turns) {
                        assertThat(l.user.get("/api/v1/messages/" + sent[0]).expect(200).text("/content"))
                                .isEqualTo(sent[1]);
                        JsonNode ended = Eventually.within(Duration.ofSeconds(30)).until(
                                () -> l.user.get("/api/v1/messages/" + sent[2]).expect(200).json(),
                                m -> !Set.of("pending", "streaming").contains(m.path("status").asString()));
                        assertThat(ended.path("status").asString()).isIn("complete", "error");
                    }
                }
            }
        }
    }

    /**
     * One user's traffic on a thread of its own: a chat created, a turn sent on it, the chat's page of messages
     * read, again and again. Keeps what was acknowledged, and any answer that is neither a 2xx nor the 503.
     */
    private static final class Load {

        final ApiClient user;
        final List<String> chats = new CopyOnWriteArrayList<>();
        final List<String[]> turns = new CopyOnWriteArrayList<>(); // question id, its text, answer id
        final List<String> faults = new CopyOnWriteArrayList<>();
        final List<long[]> spans = new CopyOnWriteArrayList<>(); // nanoTime at the start and the end of each request
        private final AtomicInteger acknowledged = new AtomicInteger();
        private final AtomicInteger refused = new AtomicInteger();
        private volatile boolean running = true;
        private Thread thread;

        Load(ApiClient user) {
            this.user = user;
        }

        void start() {
            thread = Thread.ofVirtual().start(() -> {
                for (int i = 0; running; i++) {
                    String chat = call(() -> user.post("/api/v1/chats", Map.of("title", "Load")), 201, "/id");
                    if (chat == null) {
                        continue;
                    }
                    chats.add(chat);
                    String question = "Question " + i + " ação";
                    String sent = call(() -> user.post("/api/v1/chats/" + chat + "/messages",
                            Map.of("content", question, "model", "fast")), 202, null);
                    if (sent != null) {
                        JsonNode ids = ApiClient.JSON.readTree(sent);
                        turns.add(new String[] {ids.at("/userMessage/id").asString(), question,
                                ids.at("/assistantMessage/id").asString()});
                    }
                    call(() -> user.get("/api/v1/chats/" + chat + "/messages"), 200, null);
                }
            });
        }

        /** The pointer's value (or the whole body) of a 2xx; null when refused. */
        private String call(java.util.function.Supplier<ApiClient.Response> request, int expected, String pointer) {
            long start = System.nanoTime();
            ApiClient.Response response;
            try {
                response = request.get();
            } catch (AssertionError e) {
                faults.add("no answer: " + e.getMessage());
                return null;
            } finally {
                spans.add(new long[] {start, System.nanoTime()});
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (took.compareTo(TOLD_WITHIN) > 0) {
                faults.add(response.request() + " answered after " + took);
            }
            if (response.status() == expected) {
                acknowledged.incrementAndGet();
                return pointer == null ? response.body() : response.text(pointer);
            }
            boolean told = response.status() == 503 && response.body().contains("database-unavailable")
                    && response.headers().firstValue("Retry-After").isPresent()
                    && response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
            if (told) {
                refused.incrementAndGet();
            } else {
                faults.add(response.request() + " " + response.status() + " " + response.body());
            }
            return null;
        }

        int acknowledged() {
            return acknowledged.get();
        }

        int refused() {
            return refused.get();
        }

        void stop() {
            running = false;
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The server's log lines (it runs in this JVM) from now until closed, as Logback hands them out. */
    private static final class CapturedLog implements AutoCloseable {

        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

        static CapturedLog start() {
            CapturedLog log = new CapturedLog();
            log.appender.start();
            log.root.addAppender(log.appender);
            return log;
        }

        List<String> at(Level level) {
            return List.copyOf(appender.list).stream().filter(e -> e.getLevel() == level)
                    .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
        }

        int count(Level level, String containing) {
            return (int) at(level).stream().filter(line -> line.contains(containing)).count();
        }

        @Override
        public void close() {
            root.detachAppender(appender);
        }
    }

    private static void assertTold(ApiClient.Response response, long startNanos, String what) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        assertThat(took).as(what + " answered after " + took).isLessThan(TOLD_WITHIN);
        response.expectProblem(503, "database-unavailable");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("Retry-After")).as(what).isPresent();
    }
}
