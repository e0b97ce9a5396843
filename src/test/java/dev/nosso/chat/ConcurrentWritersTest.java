package dev.nosso.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * SQLite allows one writer at a time. Fifty clients appending at once must all succeed: no "database is
 * locked", no lost message, every chat's count and branch exactly as written.
 */
class ConcurrentWritersTest {

    static final int WRITERS = 50;
    static final int MESSAGES_EACH = 20;

    @Test
    void fiftyConcurrentWritersOnSqliteStoreEveryMessageWithoutLockErrors() throws Exception {
        try (TestDatabase database = TestDatabase.fresh(Dialect.SQLITE);
             TestServer server = TestServer.start(database)) {
            List<ApiClient> users = new ArrayList<>();
            List<String> chats = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ApiClient user = server.newUser();
                users.add(user);
                for (int c = 0; c < WRITERS / 5; c++) {
                    chats.add(user.post("/api/v1/chats", Map.of("title", "chat " + c)).expect(201).text("/id"));
                }
            }
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch start = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    ApiClient user = users.get(w / (WRITERS / 5));
                    String chat = chats.get(w);
                    writers.add(pool.submit(() -> {
                        start.await();
                        for (int m = 0; m < MESSAGES_EACH; m++) {
                            var response = user.post("/api/v1/chats/" + chat + "/messages",
                                    Map.of("role", "user", "content", "message " + m));
                            if (response.status() != 201) {
                                failures.add(response.status() + " " + response.body());
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> writer : writers) {
                    writer.get();
                }
            }

            assertThat(failures).isEmpty();
            for (int w = 0; w < WRITERS; w++) {
                ApiClient user = users.get(w / (WRITERS / 5));
                String chat = chats.get(w);
                assertThat(user.get("/api/v1/chats/" + chat).expect(200).at("/messageCount").asInt()).isEqualTo(MESSAGES_EACH);
                var window = user.get("/api/v1/chats/" + chat + "/messages?limit=" + MESSAGES_EACH).expect(200);
                List<String> contents = new ArrayList<>();
                window.at("/items").forEach(item -> contents.add(item.get("content").asString()));
                assertThat(contents).hasSize(MESSAGES_EACH).startsWith("message 0").endsWith("message " + (MESSAGES_EACH - 1));
            }
        }
    }
}
