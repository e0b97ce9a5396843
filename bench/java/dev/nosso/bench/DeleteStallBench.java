package dev.nosso.bench;

import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * How long one user's large delete stalls another user's appends: user B appends in a loop while user A deletes
 * the root of a 30,000-message conversation (a subtree), or the whole conversation (a chat), and until the sweep
 * has removed the last of its rows; the worst of B's round trips in that time is the stall. A's request returns
 * once everything is hidden; the sweep runs after it on a job worker. The baseline is the same sweep in one
 * write (a batch larger than the conversation, as deletes ran before issue 19), on its own fresh database in
 * the same run.
 */
class DeleteStallBench {

    static final int SUBTREE = Integer.getInteger("bench.subtree", 30_000);

    /** For a run outside Maven: {@code java -cp "$(bench/java-classpath.sh)" dev.nosso.bench.DeleteStallBench}. */
    public static void main(String[] args) {
        new DeleteStallBench().anotherUsersAppendsAreNotStalledByALargeDelete();
    }

    @Test
    void anotherUsersAppendsAreNotStalledByALargeDelete() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("bench", "delete-stall");
        result.put("measured", "user B's POST /api/v1/chats/{id}/messages round trips while user A deletes a "
                + SUBTREE + "-message conversation (a chain) and its rows are swept, memory off");
        // On PostgreSQL the one-write baseline cannot run: forgetting 30,000 messages' memory in one transaction
        // takes an advisory lock per message, beyond max_locks_per_transaction ("out of shared memory").
        boolean baseline = Boolean.parseBoolean(System.getProperty("bench.baseline", "true"));
        if (baseline) {
            result.put("subtree_baseline_one_write", run(1_000_000, false));
        }
        result.put("subtree_batches_of_500", run(500, false));
        if (baseline) {
            result.put("chat_baseline_one_write", run(1_000_000, true));
        }
        result.put("chat_batches_of_500", run(500, true));
        BenchSetup.print(result);
    }

    private static Map<String, Object> run(int batch, boolean wholeChat) {
        System.setProperty("bench.memory", "off"); // no embedding jobs running beside the measurement
        try (BenchSetup bench = new BenchSetup(Map.of("nosso.limits.delete-batch", Integer.toString(batch)))) {
            ApiClient alice = bench.newUser();
            ApiClient bob = bench.newUser();
            String chat = bench.newChat(alice);
            String bobsChat = bench.newChat(bob);
            String root = alice.post("/api/v1/chats/" + chat + "/messages", Map.of("role", "user", "content", "root"))
                    .expect(201).text("/id");
            bench.seed(bench.userId(alice), chat, SUBTREE - 1);
            bench.analyze();
            for (int i = 0; i < 200; i++) { // warm-up
                bob.post("/api/v1/chats/" + bobsChat + "/messages", Map.of("role", "user", "content", "warm " + i))
                        .expect(201);
            }

            long started = System.nanoTime();
            CompletableFuture<Long> request = CompletableFuture.supplyAsync(() -> {
                alice.delete(wholeChat ? "/api/v1/chats/" + chat : "/api/v1/messages/" + root).expect(204);
                return System.nanoTime() - started;
            });
            CompletableFuture<Long> swept = request.thenApplyAsync(answered -> {
                while (rows(bench, chat) > 0) {
                    LockSupport.parkNanos(10_000_000); // a look every 10 ms: the sweep's end to within that
                }
                return System.nanoTime() - started;
            });
            List<Long> during = new ArrayList<>();
            int i = 0;
            while (!swept.isDone()) {
                long t = System.nanoTime();
                bob.post("/api/v1/chats/" + bobsChat + "/messages", Map.of("role", "user", "content", "during " + i++))
                        .expect(201);
                during.add(System.nanoTime() - t);
            }
            long[] nanos = during.stream().mapToLong(Long::longValue).toArray();
            long worst = during.stream().mapToLong(Long::longValue).max().orElse(0);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("database", bench.dialect());
            figures.put("deleted", wholeChat ? "chat" : "subtree");
            figures.put("a_request_ms", Stats.ms(request.join()));
            figures.put("swept_ms", Stats.ms(swept.join()));
            figures.put("b_appends_until_swept", Stats.of(nanos));
            figures.put("b_worst_append_ms", Stats.ms(worst));
            return figures;
        }
    }

    /** The conversation's messages still stored (a chat's row goes last, after them). */
    private static long rows(BenchSetup bench, String chat) {
        try (Connection c = bench.database.connect();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM messages WHERE chat_id = ?")) {
            UUID id = UUID.fromString(chat);
            ps.setObject(1, bench.database.dialect() == Dialect.POSTGRESQL ? id : id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
