package dev.nosso.bench;

import dev.nosso.support.ApiClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Appends per second on SQLite with 200 concurrent writers over HTTP, each into its own chat, against one
 * writer alone as the baseline. Client and server share this JVM and its two cores, so the figure is a
 * floor. Goal: at least 5,000 appends/s with zero errors.
 */
class ConcurrentAppendBench {

    static final int WRITERS = Integer.getInteger("bench.writers", 200);
    static final int USERS = 20;
    static final long SECONDS = Long.getLong("bench.seconds", 10);

    @Test
    void appendsPerSecondWithManyConcurrentWriters() throws Exception {
        try (BenchSetup bench = new BenchSetup()) {
            List<ApiClient> users = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                users.add(bench.server.newUser());
            }
            List<String> chats = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                chats.add(bench.newChat(users.get(w % USERS)));
            }
            run(users, chats, 1, 2); // warm-up
            Map<String, Object> single = run(users, chats, 1, 5);
            Map<String, Object> many = run(users, chats, WRITERS, SECONDS);

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("bench", "concurrent-appends");
            result.put("database", bench.dialect());
            result.put("baseline_one_writer", single);
            result.put("writers_" + WRITERS, many);
            result.put("ratio", Stats.ratio(((Number) many.get("appends_per_s")).doubleValue(),
                    ((Number) single.get("appends_per_s")).doubleValue()));
            result.put("goal_appends_per_s", 5000);
            BenchSetup.print(result);
        }
    }

    private static Map<String, Object> run(List<ApiClient> users, List<String> chats, int writers, long seconds)
            throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < writers; w++) {
                ApiClient user = users.get(w % USERS);
                String chat = chats.get(w);
                pool.submit(() -> {
                    int i = 0;
                    while (!stop.get()) {
                        var response = user.post("/api/v1/chats/" + chat + "/messages",
                                Map.of("role", "user", "content", "concurrent append " + i++));
                        (response.status() == 201 ? ok : errors).incrementAndGet();
                    }
                });
            }
            Thread.sleep(seconds * 1000);
            stop.set(true);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("writers", writers);
        figures.put("seconds", Math.round(elapsed * 100) / 100.0);
        figures.put("appends", ok.get());
        figures.put("errors", errors.get());
        figures.put("appends_per_s", Math.round(ok.get() / elapsed));
        return figures;
    }
}
