package dev.nosso.bench;

import dev.nosso.support.ApiClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * How long one user's delete of a 30,000-message subtree stalls another user's appends: user B appends in a
 * loop while user A deletes the root of a 30,000-message conversation, and the worst of B's round trips during
 * the delete is the stall. The baseline is the same delete in one write (a batch larger than the subtree, as
 * before deletes were batched), on its own fresh database in the same run.
 */
class DeleteStallBench {

    static final int SUBTREE = Integer.getInteger("bench.subtree", 30_000);

    @Test
    void anotherUsersAppendsAreNotStalledByALargeDelete() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("bench", "delete-stall");
        result.put("measured", "user B's POST /api/v1/chats/{id}/messages round trips while user A deletes a "
                + SUBTREE + "-message subtree (a chain), memory off");
        result.put("baseline_one_write", run(1_000_000));
        result.put("batches_of_500", run(500));
        BenchSetup.print(result);
    }

    private static Map<String, Object> run(int batch) {
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
            CompletableFuture<Long> deleting = CompletableFuture.supplyAsync(() -> {
                alice.delete("/api/v1/messages/" + root).expect(204);
                return System.nanoTime() - started;
            });
            List<Long> during = new ArrayList<>();
            int i = 0;
            while (!deleting.isDone()) {
                long t = System.nanoTime();
                bob.post("/api/v1/chats/" + bobsChat + "/messages", Map.of("role", "user", "content", "during " + i++))
                        .expect(201);
                during.add(System.nanoTime() - t);
            }
            long[] nanos = during.stream().mapToLong(Long::longValue).toArray();
            long worst = during.stream().mapToLong(Long::longValue).max().orElse(0);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("database", bench.dialect());
            figures.put("delete_ms", Stats.ms(deleting.join()));
            figures.put("b_appends_during_delete", Stats.of(nanos));
            figures.put("b_worst_append_ms", Stats.ms(worst));
            return figures;
        }
    }
}
