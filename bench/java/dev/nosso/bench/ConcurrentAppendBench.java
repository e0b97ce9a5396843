package dev.nosso.bench;

import dev.nosso.chat.MessageRole;
import dev.nosso.chat.Messages;
import dev.nosso.chat.NewMessage;
import dev.nosso.support.ApiClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Appends per second on SQLite with 200 concurrent writers, each into its own chat, against one writer alone
 * as the baseline: through the service that the API calls (server-side), and through HTTP. Over HTTP the
 * clients share this JVM and its two cores with the server, so that figure is a floor. Goal: at least
 * 5,000 appends/s with zero errors.
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
            List<UUID> owners = users.stream().map(bench::userId).toList();
            Messages messages = bench.server.context().getBean(Messages.class);
            Writer viaService = (w, i) -> {
                messages.append(owners.get(w % USERS), UUID.fromString(chats.get(w)),
                        NewMessage.of(MessageRole.USER, "concurrent append " + i, null));
                return true;
            };
            Writer viaHttp = (w, i) -> users.get(w % USERS).post("/api/v1/chats/" + chats.get(w) + "/messages",
                    Map.of("role", "user", "content", "concurrent append " + i)).status() == 201;

            run(viaService, 1, 2); // warm-up
            run(viaHttp, 1, 2);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("bench", "concurrent-appends");
            result.put("database", bench.dialect());
            result.put("service_one_writer", run(viaService, 1, 5));
            var groups = bench.server.context().getBean(io.micrometer.core.instrument.MeterRegistry.class)
                    .summary("nosso.sqlite.write.group");
            var commits = bench.server.context().getBean(io.micrometer.core.instrument.MeterRegistry.class)
                    .timer("nosso.sqlite.write.commit");
            double commitNanosBefore = commits.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS);
            long groupsBefore = groups.count();
            double writesBefore = groups.totalAmount();
            result.put("service_writers_" + WRITERS, run(viaService, WRITERS, SECONDS));
            result.put("service_mean_group_commit_size", Math.round((groups.totalAmount() - writesBefore)
                    / Math.max(1, groups.count() - groupsBefore) * 10) / 10.0);
            result.put("service_writer_busy_us_per_append", Math.round(
                    (commits.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) - commitNanosBefore) / 1000
                            / Math.max(1, groups.totalAmount() - writesBefore)));
            result.put("http_one_writer", run(viaHttp, 1, 5));
            result.put("http_writers_" + WRITERS, run(viaHttp, WRITERS, SECONDS));
            result.put("goal_appends_per_s", 5000);
            BenchSetup.print(result);
        }
    }

    interface Writer {
        boolean append(int writer, int i) throws Exception;
    }

    private static Map<String, Object> run(Writer writer, int writers, long seconds) throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < writers; w++) {
                int id = w;
                pool.submit(() -> {
                    int i = 0;
                    while (!stop.get()) {
                        boolean stored;
                        try {
                            stored = writer.append(id, i++);
                        } catch (Exception e) {
                            stored = false;
                        }
                        (stored ? ok : errors).incrementAndGet();
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
