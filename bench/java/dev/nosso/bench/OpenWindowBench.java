package dev.nosso.bench;

import dev.nosso.chat.Messages;
import dev.nosso.support.ApiClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Opening a chat: the latest window (50 messages) of the active branch of a 10,000-message chat, against
 * the same window of a 60-message chat as the baseline. Server-side time is the service call (transaction,
 * SQL, mapping); the HTTP figure adds JSON and loopback. Goal: server-side p50 under 20 ms.
 */
class OpenWindowBench {

    static final int WARMUP = 200;
    static final int SAMPLES = 1000;

    @Test
    void openingTheLatestWindowOfALongChatIsFast() {
        try (BenchSetup bench = new BenchSetup()) {
            ApiClient user = bench.server.newUser();
            UUID owner = bench.userId(user);
            String small = bench.newChat(user);
            String large = bench.newChat(user);
            bench.seed(owner, small, 60);
            bench.seed(owner, large, 10_000);
            bench.analyze();
            Messages messages = bench.server.context().getBean(Messages.class);

            long[] serverSmall = new long[SAMPLES];
            long[] serverLarge = new long[SAMPLES];
            long[] httpSmall = new long[SAMPLES];
            long[] httpLarge = new long[SAMPLES];
            for (int i = -WARMUP; i < SAMPLES; i++) {
                long t0 = System.nanoTime();
                int a = messages.activeBranch(owner, UUID.fromString(small), null, 50).items().size();
                long t1 = System.nanoTime();
                int b = messages.activeBranch(owner, UUID.fromString(large), null, 50).items().size();
                long t2 = System.nanoTime();
                user.get("/api/v1/chats/" + small + "/messages?limit=50").expect(200);
                long t3 = System.nanoTime();
                user.get("/api/v1/chats/" + large + "/messages?limit=50").expect(200);
                long t4 = System.nanoTime();
                if (a != 50 || b != 50) {
                    throw new AssertionError("expected full windows, got " + a + " and " + b);
                }
                if (i >= 0) {
                    serverSmall[i] = t1 - t0;
                    serverLarge[i] = t2 - t1;
                    httpSmall[i] = t3 - t2;
                    httpLarge[i] = t4 - t3;
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("bench", "open-latest-window");
            result.put("database", bench.dialect());
            result.put("window", 50);
            result.put("server_baseline_chat_of_60", Stats.of(serverSmall));
            result.put("server_chat_of_10000", Stats.of(serverLarge));
            result.put("http_baseline_chat_of_60", Stats.of(httpSmall));
            result.put("http_chat_of_10000", Stats.of(httpLarge));
            result.put("ratio_server_p50", Stats.ratio(Stats.p50(serverLarge), Stats.p50(serverSmall)));
            result.put("goal_server_p50_ms", 20);
            BenchSetup.print(result);
        }
    }
}
