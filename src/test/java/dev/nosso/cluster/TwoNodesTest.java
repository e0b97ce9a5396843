package dev.nosso.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.Eventually;
import dev.nosso.support.RecordedRequest;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerProcess;
import dev.nosso.support.SseStream;
import dev.nosso.support.SseStream.Event;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestRedis;
import dev.nosso.support.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Two nodes on one PostgreSQL database, as behind a load balancer without sticky sessions: two application
 * processes, each with a data folder of its own, the same secret key, and one scripted model server. A client
 * is sent to either node at any request; a node dies (SIGKILL) or restarts while the other streams.
 *
 * <p>Runs twice: with a shared Redis ({@code NOSSO_TEST_REDIS_URL}; skipped without it unless
 * {@code NOSSO_REQUIRE_REDIS=1}), and without Redis, where several nodes must stay correct (credentials,
 * leases and recovery, jobs, file bytes) and an answer is followed from another node through its checkpoints.
 * The two processes are started once per run and shared by the scenarios; the ones that stop a node come last,
 * and a node found dead is started again before the next scenario.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TwoNodesTest.Sharing.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodesTest {

    enum Sharing {
        REDIS("with Redis"), DATABASE_ONLY("without Redis");

        private final String label;

        Sharing(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    // Short, so that a dead node is noticed in about two seconds rather than six.
    private static final Duration HEARTBEAT = Duration.ofMillis(500);
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(20);
    // The issue: suspension, revocation and logout "take effect on every node within a second".
    private static final Duration EVERY_NODE_WITHIN = Duration.ofSeconds(1);
    // Followed through Redis, another node's client is about as close to the answer as the node's own.
    private static final Duration LIVE_MEDIAN_LAG = Duration.ofMillis(250);
    // Followed through checkpoints (one a second), "at most a second behind", plus a poll and a busy machine.
    private static final Duration CHECKPOINT_MAX_LAG = Duration.ofSeconds(2);

    @Parameter
    Sharing sharing;

    private ScriptedUpstream upstream;
    private TestDatabase database;
    private TestRedis redis;
    private ServerProcess a;
    private ServerProcess b;

    @BeforeParameterizedClassInvocation
    void startTwoNodes() {
        // Every field set here, null or not: the one instance of this class may serve both runs.
        redis = sharing == Sharing.REDIS ? TestRedis.fresh() : null;
        database = TestDatabase.fresh(Dialect.POSTGRESQL);
        upstream = ScriptedUpstream.start();
        upstream.models("paced", "held", "embed-1");
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Map<String, Object> shared = new HashMap<>();
        shared.put("nosso.secret-key", Base64.getEncoder().encodeToString(secret));
        shared.put("nosso.openai.base-url", upstream.openAiBaseUrl().toString());
        shared.put("nosso.ollama.url", "");
        shared.put("nosso.generation.titles", "false");
        // Embeddings from the scripted server rather than the in-process model: each node would otherwise
        // load it, and the requests it receives show how many times each ingestion job ran.
        shared.put("nosso.retrieval.embedding-provider", "openai");
        shared.put("nosso.retrieval.embedding-model", "embed-1");
        shared.put("nosso.cluster.heartbeat", HEARTBEAT.toMillis() + "ms");
        shared.put("nosso.cluster.lease", LEASE.toMillis() + "ms");
        shared.put("nosso.cluster.redis-url", ""); // not whatever NOSSO_REDIS_URL this shell may have
        if (redis != null) {
            shared.putAll(redis.properties());
        }
        // Started side by side, as an operator starts a fresh cluster: both migrate the same empty schema.
        long start = System.nanoTime();
        CompletableFuture<ServerProcess> first = CompletableFuture.supplyAsync(() -> node("a", shared));
        CompletableFuture<ServerProcess> second = CompletableFuture.supplyAsync(() -> node("b", shared));
        a = first.join();
        b = second.join();
        System.out.printf("TwoNodesTest (%s): two nodes up in %d ms%n", sharing,
                Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    private ServerProcess node(String name, Map<String, Object> shared) {
        Map<String, Object> settings = new HashMap<>(shared);
        try {
            settings.put("nosso.data-dir", Files.createDirectories(database.dataDir().resolve("node-" + name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ServerProcess.start(database, settings);
    }

    @BeforeEach
    void bothNodesRunning() {
        if (!a.alive()) {
            a = a.startAgain();
        }
        if (!b.alive()) {
            b = b.startAgain();
        }
    }

    @AfterParameterizedClassInvocation
    void stopTwoNodes() {
        for (ServerProcess node : new ServerProcess[] {a, b}) {
            if (node != null) {
                node.close();
            }
        }
        if (upstream != null) {
            upstream.close();
        }
        if (database != null) {
            database.close();
        }
        if (redis != null) {
            redis.close(); // deletes this run's keys
        }
    }

    @Test
    @Order(1)
    void aSessionOrKeyMadeOnOneNodeWorksOnTheOtherAndItsEndIsSeenByBoth() {
        ApiClient onA = a.newUser();
        ApiClient onB = onA.at(b.baseUrl()); // the same browser, sent to the other node

        String email = onA.get("/api/v1/auth/me").expect(200).text("/email");
        assertThat(onB.get("/api/v1/auth/me").expect(200).text("/email")).isEqualTo(email);
        String chatId = onB.post("/api/v1/chats", Map.of("title", "Made on B")).expect(201).text("/id");
        assertThat(onA.get("/api/v1/chats/" + chatId).expect(200).text("/title")).isEqualTo("Made on B");

        Response key = onA.post("/api/v1/api-keys", Map.of("name", "script")).expect(201);
        ApiClient scriptOnA = a.anonymous().withBearer(key.text("/key"));
        scriptOnA.get("/api/v1/auth/me").expect(200); // known to A (and in whatever A keeps in memory)
        scriptOnA.at(b.baseUrl()).get("/api/v1/auth/me").expect(200);
        onB.delete("/api/v1/api-keys/" + key.text("/id")).expect(204);
        Eventually.within(EVERY_NODE_WITHIN).untilAsserted(() ->
                scriptOnA.get("/api/v1/auth/me").expectProblem(401, "invalid-api-key"));

        // Logging out clears the browser's cookie; a copy kept from before must be refused by A too.
        String session = onA.cookie("nosso_session").orElseThrow();
        onB.post("/api/v1/auth/logout", null).expect(204);
        Eventually.within(EVERY_NODE_WITHIN).untilAsserted(() -> a.anonymous()
                .send("GET", "/api/v1/auth/me", null, "Cookie", "nosso_session=" + session)
                .expectProblem(401, "unauthenticated"));
    }

    @Test
    @Order(2)
    void suspendingAUserOnOneNodeRefusesThemOnTheOther() {
        ApiClient user = a.newUser();
        String email = user.get("/api/v1/auth/me").expect(200).text("/email");
        String id = user.get("/api/v1/auth/me").text("/id");
        ApiClient onB = b.anonymous().login(email, TestServer.PASSWORD);
        ApiClient keyOnB = onB.withBearer(onB.post("/api/v1/api-keys", Map.of("name", "k")).expect(201).text("/key"));
        keyOnB.get("/api/v1/auth/me").expect(200);

        a.admin().patch("/api/v1/admin/users/" + id, Map.of("status", "suspended")).expect(200);

        Eventually.within(EVERY_NODE_WITHIN).untilAsserted(() -> {
            onB.get("/api/v1/auth/me").expectProblem(401, "unauthenticated");
            keyOnB.get("/api/v1/auth/me").expectProblem(401, "invalid-api-key");
        });
        b.anonymous().post("/api/v1/auth/login", Map.of("email", email, "password", TestServer.PASSWORD))
                .expectProblem(401, "account-suspended");
    }

    @Test
    @Order(3)
    void anAnswerStreamingOnOneNodeIsFollowedFromTheOtherWithTheExactText() throws Exception {
        // 300 distinct tokens over about three seconds: an offset off by one shows in the text.
        List<String> tokens = IntStream.range(0, 300).mapToObj(i -> "t" + i + " ").toList();
        String whole = String.join("", tokens);
        upstream.reply("paced", Script.tokens(tokens.toArray(String[]::new)).delay(Duration.ofMillis(10)));
        ApiClient onA = a.newUser();
        Response sent = send(onA, newChat(onA), "Count slowly", "paced");

        Recording followedOnA = Recording.of(onA.stream(sent.text("/streamUrl")));
        Event reattachAfter = Eventually.within(WAIT).until(followedOnA::lastDelta,
                e -> e != null && e.offset() >= whole.length() / 3);
        // A reload that lands on the other node: it resumes from the last event it saw.
        Recording followedOnB = Recording.of(onA.at(b.baseUrl()).stream(sent.text("/streamUrl"),
                "Last-Event-ID", reattachAfter.id()));

        List<Received> onAEvents = followedOnA.awaitEnd(WAIT);
        List<Received> onBEvents = followedOnB.awaitEnd(WAIT);

        assertThat(text(onAEvents)).isEqualTo(whole);
        Event endOnB = onBEvents.getLast().event();
        assertThat(endOnB.name()).as("B's stream ended with %s", endOnB).isEqualTo("done");
        assertThat(endOnB.data().path("status").asString()).isEqualTo("complete");
        assertThat(whole.substring(0, reattachAfter.offset()) + text(onBEvents)).isEqualTo(whole);
        assertThat(onA.at(b.baseUrl()).get("/api/v1/messages/" + sent.text("/assistantMessage/id")).expect(200)
                .text("/content")).isEqualTo(whole);
        // Mid-answer: B sent text before A's own client had the end.
        assertThat(onBEvents.getFirst().at()).isLessThan(onAEvents.getLast().at());

        List<Long> lags = lagsMillis(onAEvents, onBEvents);
        System.out.printf("TwoNodesTest (%s): B's lag behind A's own client, ms: median %d, max %d, %d events%n",
                sharing, median(lags), lags.getLast(), lags.size());
        if (sharing == Sharing.REDIS) {
            assertThat(median(lags)).as("median lag (ms) of B's client behind A's, live through Redis")
                    .isLessThanOrEqualTo(LIVE_MEDIAN_LAG.toMillis());
        }
        assertThat(lags.getLast()).as("largest lag (ms) of B's client behind A's")
                .isLessThanOrEqualTo(CHECKPOINT_MAX_LAG.toMillis());
    }

    @Test
    @Order(4)
    void cancellingOnTheOtherNodeStopsTheModelCallOfTheNodeThatRunsIt() {
        upstream.reply("paced", Script.repeat("word ", 10_000).delay(Duration.ofMillis(20)));
        ApiClient onA = a.newUser();
        String question = "Talk until stopped " + UUID.randomUUID();
        Response sent = send(onA, newChat(onA), question, "paced");
        String answerId = sent.text("/assistantMessage/id");
        try (SseStream onAStream = onA.stream(sent.text("/streamUrl"))) {
            onAStream.deltasUntil(50, WAIT);

            onA.at(b.baseUrl()).post("/api/v1/messages/" + answerId + "/cancel", null).expect(200);

            Eventually.within(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(upstream.hungUp())
                    .as("model calls whose connection the node closed").anyMatch(r -> asked(r, question)));
            Event end = onAStream.untilEnd(WAIT).getLast();
            assertThat(end.name()).isEqualTo("done");
            assertThat(end.data().path("status").asString()).isEqualTo("cancelled");
        }
        JsonNode stored = onA.at(b.baseUrl()).get("/api/v1/messages/" + answerId).expect(200).json();
        assertThat(stored.path("status").asString()).isEqualTo("cancelled");
        assertThat(stored.path("content").asString()).startsWith("word word ");
    }

    @Test
    @Order(5)
    void aFileUploadedOnOneNodeIsReadSearchedAndDownloadedOnTheOtherAndItsJobRunsOnce() {
        ApiClient onA = a.newUser();
        ApiClient onB = onA.at(b.baseUrl());
        // Several files, so that both nodes' workers are likely to claim some of the jobs.
        List<String> words = List.of("quokka", "axolotl", "pangolin", "tardigrade");
        Map<String, byte[]> bytes = new HashMap<>();
        Map<String, Response> uploads = new HashMap<>();
        for (String word : words) {
            bytes.put(word, ("# Notes on the " + word + "\n\nThe " + word + " was seen near the river.\n")
                    .getBytes(StandardCharsets.UTF_8));
            uploads.put(word, onA.upload("/api/v1/files", word + ".md", "text/markdown", bytes.get(word), Map.of())
                    .expect(201));
        }

        for (String word : words) {
            String fileId = uploads.get(word).text("/id");
            JsonNode file = Eventually.within(Duration.ofSeconds(60)).until(
                    () -> onB.get("/api/v1/files/" + fileId).expect(200).json(),
                    f -> !f.path("status").asString().matches("pending|processing"));
            assertThat(file.path("status").asString()).as("%s, read from B: %s", word, file).isEqualTo("ready");
            assertThat(onB.get("/api/v1/jobs/" + uploads.get(word).text("/jobId")).expect(200).text("/state"))
                    .isEqualTo("done");
            // Each ingestion embeds its passage once: a job that ran twice would have asked twice.
            assertThat(upstream.requests("/v1/embeddings")).as("embedding requests for %s", word)
                    .filteredOn(r -> r.body().contains(word)).hasSize(1);
            JsonNode results = onB.post("/api/v1/search", Map.of("query", word, "mode", "keyword", "memory", false))
                    .expect(200).at("/results");
            assertThat(results.findValuesAsString("sourceId")).as("B's search for %s", word).containsExactly(fileId);
        }
        for (String word : words) {
            // A few bytes come in milliseconds; a node without them must not hold the test for a minute.
            HttpResponse<byte[]> content = onB.download("/api/v1/files/" + uploads.get(word).text("/id")
                    + "/content", Duration.ofSeconds(5));
            assertThat(content.statusCode()).isEqualTo(200);
            assertThat(content.body()).as("%s's bytes downloaded from B", word).isEqualTo(bytes.get(word));
        }
    }

    @Test
    @Order(6)
    void restartingOneNodeLeavesTheAnswersOfTheOtherRunning() throws Exception {
        Script.Gate gate = new Script.Gate();
        upstream.reply("held", Script.tokens("one ", "two ", "three ", "four").holdAfter(2, gate));
        ApiClient onA = a.newUser();
        String question = "Keep going " + UUID.randomUUID();
        Response sent = send(onA, newChat(onA), question, "held");
        String answerId = sent.text("/assistantMessage/id");
        try (SseStream onAStream = onA.stream(sent.text("/streamUrl"))) {
            gate.awaitReached(WAIT);
            onAStream.deltasUntil("one two ".length(), WAIT);

            long restart = System.nanoTime();
            b.stop(); // SIGTERM: a graceful restart, as for an upgrade
            b = b.startAgain();
            System.out.printf("TwoNodesTest (%s): B restarted in %d ms%n", sharing,
                    Duration.ofNanos(System.nanoTime() - restart).toMillis());
            assertThat(onA.at(b.baseUrl()).get("/api/v1/messages/" + answerId).expect(200).text("/status"))
                    .as("A's answer, seen from the restarted B").isEqualTo("streaming");
            gate.release();

            Event end = onAStream.untilEnd(WAIT).getLast();
            assertThat(end.name()).isEqualTo("done");
            assertThat(end.data().path("status").asString()).isEqualTo("complete");
        } finally {
            gate.release();
        }
        JsonNode stored = onA.at(b.baseUrl()).get("/api/v1/messages/" + answerId).expect(200).json();
        assertThat(stored.path("status").asString()).isEqualTo("complete");
        assertThat(stored.path("content").asString()).isEqualTo("one two three four");
        assertThat(upstream.hungUp()).noneMatch(r -> asked(r, question));
    }

    @Test
    @Order(7) // last: node A stays dead
    void theAnswerOfAKilledNodeBecomesInterruptedOnTheSurvivorWithinSeconds() throws Exception {
        upstream.reply("paced", Script.repeat("word ", 5_000).delay(Duration.ofMillis(20)));
        Script.Gate survivorsGate = new Script.Gate();
        upstream.reply("held", Script.tokens("still ", "here ", "after ", "the ", "crash").holdAfter(2, survivorsGate));
        ApiClient onA = a.newUser();
        ApiClient onB = onA.at(b.baseUrl());
        Response doomed = send(onA, newChat(onA), "Talk for a long time", "paced");
        String doomedId = doomed.text("/assistantMessage/id");
        Response survivor = send(onB, newChat(onB), "Talk on B", "held");
        try {
            survivorsGate.awaitReached(WAIT);
            Recording followedOnB = Recording.of(onB.stream(doomed.text("/streamUrl")));
            String seen;
            try (SseStream onAStream = onA.stream(doomed.text("/streamUrl"))) {
                seen = SseStream.text(onAStream.deltasUntil(300, WAIT)); // more than a second of text
                a.kill();
            }
            long killed = System.nanoTime();

            JsonNode interrupted = Eventually.within(LEASE.plus(Duration.ofSeconds(4))).until(
                    () -> onB.get("/api/v1/messages/" + doomedId).expect(200).json(),
                    m -> m.path("status").asString().equals("interrupted"));
            System.out.printf("TwoNodesTest (%s): the killed node's answer was interrupted after %d ms%n",
                    sharing, Duration.ofNanos(System.nanoTime() - killed).toMillis());
            String kept = interrupted.path("content").asString();
            assertThat(seen).startsWith(kept.substring(0, Math.min(kept.length(), seen.length())));
            assertThat(seen.length() - kept.length()).as("text lost (characters) of the %d seen", seen.length())
                    .isLessThanOrEqualTo(50 * "word ".length() * 3 / 2); // about a second at 50 tokens/s

            // The survivor's own answer, live while it interrupted the other's, goes on to its end.
            survivorsGate.release();
            JsonNode survived = Eventually.within(WAIT).until(
                    () -> onB.get("/api/v1/messages/" + survivor.text("/assistantMessage/id")).expect(200).json(),
                    m -> !m.path("status").asString().equals("streaming"));
            assertThat(survived.path("status").asString()).isEqualTo("complete");
            assertThat(survived.path("content").asString()).isEqualTo("still here after the crash");

            // A client that followed the dead node's answer from B is told how it ended.
            Event end = followedOnB.awaitEnd(WAIT).getLast().event();
            assertThat(end.name()).as("B's follower ended with %s", end).isEqualTo("done");
            assertThat(end.data().path("status").asString()).isEqualTo("interrupted");
        } finally {
            survivorsGate.release();
        }
    }

    private static String newChat(ApiClient client) {
        return client.post("/api/v1/chats", Map.of("title", "Two nodes")).expect(201).text("/id");
    }

    private static Response send(ApiClient client, String chatId, String content, String model) {
        return client.post("/api/v1/chats/" + chatId + "/messages", Map.of("content", content, "model", model))
                .expect(202);
    }

    /** Whether this model call was asked {@code question} (its last user message). */
    private static boolean asked(RecordedRequest request, String question) {
        JsonNode messages = request.json().path("messages");
        return !messages.isEmpty() && messages.get(messages.size() - 1).path("content").asString().equals(question);
    }

    private static String text(List<Received> received) {
        return SseStream.text(received.stream().map(Received::event).toList());
    }

    /**
     * How long B's client went without text that A's own client already had: for each delta B received after
     * its first (the catch-up from Last-Event-ID), the time since A's client received the first character it
     * brings. Both clients run in this process, so their clocks are one. Sorted.
     */
    private static List<Long> lagsMillis(List<Received> onA, List<Received> onB) {
        List<Received> deltasOnB = onB.stream().filter(r -> r.event().name().equals("delta")).toList();
        List<Long> lags = new ArrayList<>();
        for (int i = 1; i < deltasOnB.size(); i++) {
            int had = deltasOnB.get(i - 1).event().offset();
            long firstOnA = onA.stream().filter(r -> r.event().name().equals("delta") && r.event().offset() > had)
                    .findFirst().orElseThrow().at();
            lags.add(Math.max(0, Duration.ofNanos(deltasOnB.get(i).at() - firstOnA).toMillis()));
        }
        assertThat(lags).as("deltas B's client received after its first").isNotEmpty();
        lags.sort(null);
        return lags;
    }

    private static long median(List<Long> sorted) {
        return sorted.get(sorted.size() / 2);
    }

    /** An event and when this process received it ({@link System#nanoTime()}). */
    record Received(Event event, long at) {
    }

    /** One client's stream read on a thread of its own, so that two clients can be timed side by side. */
    private static final class Recording {

        private final List<Received> received = new CopyOnWriteArrayList<>();
        private final CompletableFuture<List<Received>> ended = new CompletableFuture<>();

        static Recording of(SseStream stream) {
            Recording recording = new Recording();
            Thread.ofVirtual().name("recording").start(() -> recording.read(stream));
            return recording;
        }

        private void read(SseStream stream) {
            try (stream) {
                while (true) {
                    Event event = stream.next(WAIT);
                    received.add(new Received(event, System.nanoTime()));
                    if (!event.name().equals("delta")) {
                        ended.complete(List.copyOf(received));
                        return;
                    }
                }
            } catch (AssertionError | RuntimeException e) {
                ended.completeExceptionally(new AssertionError("The stream broke off after " + received.size()
                        + " events (" + (received.isEmpty() ? "none" : received.getLast().event()) + "): "
                        + e.getMessage(), e));
            }
        }

        /** The last delta received so far, or null. */
        Event lastDelta() {
            for (Received r : received.reversed()) {
                if (r.event().name().equals("delta")) {
                    return r.event();
                }
            }
            return null;
        }

        /** Every event up to the first that is not a delta ({@code done} or {@code error}). */
        List<Received> awaitEnd(Duration timeout) throws InterruptedException {
            try {
                return ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw (AssertionError) e.getCause();
            } catch (TimeoutException e) {
                throw new AssertionError("The stream did not end within " + timeout + "; last event: "
                        + (received.isEmpty() ? "none" : received.getLast().event()));
            }
        }
    }
}
