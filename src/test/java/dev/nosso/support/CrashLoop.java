package dev.nosso.support;

import dev.nosso.platform.Dialect;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.JsonNode;

/**
 * Rounds of {@code kill -9}: in each, a server in a process of its own streams an answer and ingests a file just
 * uploaded, and is killed with SIGKILL at a random moment of both; the next round's server starts on the same
 * database and finds what the last one left. At the end a last server runs until every job has ended, and the
 * database is checked. The figures: user messages acknowledged and then missing, the most answer text lost by
 * one crash (the client saw it, the database did not keep it) against what a checkpoint interval holds, and
 * how long that text took to arrive (from its first character to the kill) against the interval, answers
 * not ended {@code interrupted}, files never ready and jobs never done, and faults in the message trees (a
 * parent or an active leaf that is missing or in another chat, a depth that does not follow its parent's, a
 * message count that does not match) and in SQLite's own integrity check. Used by {@code CrashLoopTest} (a few
 * rounds) and {@code CrashLoopBench} (twenty).
 */
public final class CrashLoop {

    private static final int TOKENS_PER_SECOND = 50;
    private static final String TOKEN = "word ";
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    /** What the rounds found. */
    public record Figures(String database, int rounds, int userMessagesSent, int userMessagesLost,
                          int maxCharsLostPerCrash, int checkpointIntervalChars, long maxMillisLostPerCrash,
                          long checkpointIntervalMillis, int answersNotInterrupted,
                          int filesUploaded, int filesNotReady, int jobsUnfinished, int treeFaults,
                          String integrityCheck, long millis) {

        public Map<String, Object> asMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("database", database);
            map.put("rounds", rounds);
            map.put("userMessagesSent", userMessagesSent);
            map.put("userMessagesLost", userMessagesLost);
            map.put("maxCharsLostPerCrash", maxCharsLostPerCrash);
            map.put("checkpointIntervalChars", checkpointIntervalChars);
            map.put("maxMillisLostPerCrash", maxMillisLostPerCrash);
            map.put("checkpointIntervalMillis", checkpointIntervalMillis);
            map.put("answersNotInterrupted", answersNotInterrupted);
            map.put("filesUploaded", filesUploaded);
            map.put("filesNotReady", filesNotReady);
            map.put("jobsUnfinished", jobsUnfinished);
            map.put("treeFaults", treeFaults);
            map.put("integrityCheck", integrityCheck);
            map.put("seconds", millis / 1000.0);
            return map;
        }
    }

    /**
     * @param received when the client received each character of {@code seen} (System.nanoTime(), one per char)
     * @param killedAt when the server was killed
     */
    private record Sent(String questionId, String question, String answerId, String seen, String fileId,
                        long[] received, long killedAt) {

        /**
         * How long the text lost was being generated, as the client saw it arrive: from the arrival of the first
         * character not kept to the kill. The characters alone overstate it after a pause of the server (a
         * collection, a starved thread): the upstream writes on meanwhile, and its text then arrives in a burst,
         * more than a second's worth of the nominal rate within one second.
         */
        long millisLost(int kept) {
            return kept >= seen.length() ? 0 : (killedAt - received[kept]) / 1_000_000;
        }
    }

    private CrashLoop() {
    }

    public static Figures run(Dialect dialect, int rounds) throws Exception {
        long started = System.nanoTime();
        try (TestDatabase database = TestDatabase.fresh(dialect);
             ScriptedUpstream upstream = ScriptedUpstream.start()) {
            upstream.models("slow").reply("slow", Script.repeat(TOKEN, 20_000)
                    .delay(Duration.ofMillis(1000 / TOKENS_PER_SECOND)));
            Map<String, Object> settings = Map.of(
                    "nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                    "nosso.generation.titles", "false",
                    "nosso.generation.checkpoint-interval", CHECKPOINT_INTERVAL.toMillis() + "ms",
                    "nosso.jobs.lease", "2s",
                    "nosso.cluster.heartbeat", "1s",
                    "nosso.cluster.lease", "3s");
            List<Sent> sent = new ArrayList<>();
            int lost = 0;
            int maxLost = 0;
            long maxMillisLost = 0;
            int notInterrupted = 0;
            for (int round = 0; round <= rounds; round++) {
                try (ServerProcess server = ServerProcess.start(database, settings)) {
                    ApiClient admin = server.admin();
                    if (round > 0) {
                        Sent last = sent.getLast();
                        ApiClient.Response question = admin.get("/api/v1/messages/" + last.questionId());
                        if (question.status() != 200 || !question.text("/content").equals(last.question())) {
                            lost++;
                        }
                        JsonNode answer = Eventually.within(Duration.ofSeconds(30)).until(
                                () -> admin.get("/api/v1/messages/" + last.answerId()).expect(200).json(),
                                m -> !m.path("status").asString().equals("streaming"));
                        if (!answer.path("status").asString().equals("interrupted")) {
                            notInterrupted++;
                        }
                        String kept = answer.path("content").asString();
                        String common = kept.length() <= last.seen().length() ? kept
                                : kept.substring(0, last.seen().length());
                        if (!last.seen().startsWith(common)) {
                            throw new AssertionError("The kept answer is not what the client saw:\n" + kept);
                        }
                        maxLost = Math.max(maxLost, last.seen().length() - kept.length());
                        maxMillisLost = Math.max(maxMillisLost, last.millisLost(kept.length()));
                    }
                    if (round == rounds) {
                        return finish(database, server, admin, sent, lost, maxLost, maxMillisLost, notInterrupted, started);
                    }
                    sent.add(crashRound(server, admin, round));
                }
            }
            throw new IllegalStateException("unreachable");
        }
    }

    /** Starts an answer and an upload, reads the answer for a random while, and kills the server. */
    private static Sent crashRound(ServerProcess server, ApiClient admin, int round) throws Exception {
        String chat = admin.post("/api/v1/chats", Map.of("title", "Round " + round)).expect(201).text("/id");
        String question = "Round " + round + ": talk for a long time, ação e coração";
        ApiClient.Response turn = admin.post("/api/v1/chats/" + chat + "/messages",
                Map.of("content", question, "model", "slow")).expect(202);
        String fileId = admin.upload("/api/v1/files", "round-" + round + ".md", "text/markdown", document(round),
                Map.of()).expect(201).text("/id");
        StringBuilder seen = new StringBuilder();
        List<Long> received = new ArrayList<>();
        long readFor = ThreadLocalRandom.current().nextLong(800, 2_500);
        long killedAt;
        try (SseStream stream = admin.stream(turn.text("/streamUrl"))) {
            long until = System.nanoTime() + Duration.ofMillis(readFor).toNanos();
            while (System.nanoTime() < until) {
                SseStream.Event event = stream.next(Duration.ofSeconds(10));
                if (event.name().equals("delta")) {
                    seen.append(event.text());
                    long now = System.nanoTime();
                    for (int i = 0; i < event.text().length(); i++) {
                        received.add(now);
                    }
                }
            }
            killedAt = System.nanoTime();
            server.kill();
        }
        return new Sent(turn.text("/userMessage/id"), question, turn.text("/assistantMessage/id"), seen.toString(),
                fileId, received.stream().mapToLong(Long::longValue).toArray(), killedAt);
    }

    private static Figures finish(TestDatabase database, ServerProcess server, ApiClient admin, List<Sent> sent,
                                  int lost, int maxLost, long maxMillisLost, int notInterrupted, long started)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        int notReady = 0;
        for (Sent s : sent) {
            String status = admin.get("/api/v1/files/" + s.fileId()).expect(200).text("/status");
            while (!status.equals("ready") && !status.equals("failed") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                status = admin.get("/api/v1/files/" + s.fileId()).expect(200).text("/status");
            }
            if (!status.equals("ready")) {
                notReady++;
            }
        }
        String unended = "SELECT COUNT(*) FROM jobs WHERE state <> 'done'";
        long unfinished = count(database, unended);
        while (unfinished > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            unfinished = count(database, unended);
        }
        server.stop();
        int faults = (int) (count(database, """
                SELECT COUNT(*) FROM messages m LEFT JOIN messages p ON p.id = m.parent_id
                 WHERE m.parent_id IS NOT NULL AND (p.id IS NULL OR p.chat_id <> m.chat_id OR m.depth <> p.depth + 1)""")
                + count(database, """
                SELECT COUNT(*) FROM chats c LEFT JOIN messages m ON m.id = c.active_leaf_id
                 WHERE c.active_leaf_id IS NOT NULL AND (m.id IS NULL OR m.chat_id <> c.id)""")
                + count(database, """
                SELECT COUNT(*) FROM chats c
                 WHERE c.message_count <> (SELECT COUNT(*) FROM messages m WHERE m.chat_id = c.id)""")
                + count(database, "SELECT COUNT(*) FROM messages WHERE status IN ('pending', 'streaming')"));
        String integrity = "not checked (PostgreSQL)";
        if (database.dialect() == Dialect.SQLITE) {
            try (Connection c = database.connect();
                 ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
                rs.next();
                integrity = rs.getString(1);
            }
        }
        int perInterval = (int) (TOKENS_PER_SECOND * TOKEN.length() * CHECKPOINT_INTERVAL.toMillis() / 1000);
        return new Figures(database.toString(), sent.size(), sent.size(), lost, maxLost, perInterval, maxMillisLost,
                CHECKPOINT_INTERVAL.toMillis(), notInterrupted,
                sent.size(), notReady, (int) unfinished, faults, integrity, (System.nanoTime() - started) / 1_000_000);
    }

    private static long count(TestDatabase database, String sql) throws SQLException {
        try (Connection c = database.connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A document of its round, long enough that its ingestion is still running when the server is killed. */
    private static byte[] document(int round) {
        StringBuilder text = new StringBuilder("# Round " + round + "\n\n");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String[] words = {"tram", "river", "bread", "tile", "harbour", "saudade", "fado", "azulejo", "market", "hill"};
        for (int paragraph = 0; paragraph < 120; paragraph++) {
            for (int word = 0; word < 60; word++) {
                text.append(words[random.nextInt(words.length)]).append(word % 12 == 11 ? ". " : " ");
            }
            text.append("\n\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
