package dev.nosso.bench;

import dev.nosso.support.ApiClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Append latency in a chat of 10 messages (the baseline) against one of 10,000, measured in the same run
 * and interleaved so that machine noise hits both alike. Goal: ratio of medians at most 1.2 — an append is
 * O(1) whatever the chat's length.
 */
class AppendLatencyBench {

    static final int WARMUP = 300;
    static final int SAMPLES = 2000;

    @Test
    void appendLatencyIsIndependentOfChatLength() {
        try (BenchSetup bench = new BenchSetup()) {
            ApiClient user = bench.server.newUser();
            var owner = bench.userId(user);
            String small = bench.newChat(user);
            String large = bench.newChat(user);
            bench.seed(owner, small, 10);
            bench.seed(owner, large, 10_000);
            bench.analyze();

            long[] smallNanos = new long[SAMPLES];
            long[] largeNanos = new long[SAMPLES];
            for (int i = -WARMUP; i < SAMPLES; i++) {
                long a = time(user, small, i);
                long b = time(user, large, i);
                if (i >= 0) {
                    smallNanos[i] = a;
                    largeNanos[i] = b;
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("bench", "append-latency");
            result.put("database", bench.dialect());
            result.put("measured", "HTTP round trip of POST /api/v1/chats/{id}/messages on loopback");
            result.put("baseline_chat_of_10", Stats.of(smallNanos));
            result.put("chat_of_10000", Stats.of(largeNanos));
            result.put("ratio_p50", Stats.ratio(Stats.p50(largeNanos), Stats.p50(smallNanos)));
            result.put("goal_ratio_p50", 1.2);
            BenchSetup.print(result);
        }
    }

    // The small chat grows by the samples too, but stays tiny next to the large one.
    private static long time(ApiClient user, String chat, int i) {
        long start = System.nanoTime();
        user.post("/api/v1/chats/" + chat + "/messages", Map.of("role", "user", "content", "append " + i)).expect(201);
        return System.nanoTime() - start;
    }
}
