package dev.nosso.bench;

import dev.nosso.support.ApiClient;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What each in-memory cache saves, against the same workload with it off, in one run: five servers side by
 * side (all caches on; the identity, chat-settings or preferences cache off; all off), each on a fresh
 * database, the samples interleaved so that the machine's noise falls on all of them alike. Two requests are
 * measured on each: a whole turn in one request ({@code POST} answered with the stream, until the first
 * {@code delta}, minus a direct call to the same scripted upstream taken just before), and an authenticated
 * {@code GET /api/v1/auth/me}, which is all identity. Each server's cache hit counts come from its metrics.
 */
class CacheGainBench {

    static final int WARMUP = 100;
    static final int SAMPLES = 500;
    private static final Pattern CACHE_GETS = Pattern.compile(
            "cache_gets_total\\{cache=\"(nosso\\.[a-z.]+)\"[^}]*result=\"(hit|miss)\"[^}]*} ([0-9.E+]+)");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final TurnBench turns = new TurnBench();

    private record Config(String name, Map<String, Object> caches) {
    }

    private record Node(Config config, BenchSetup bench, String key, long[] turn, long[] me) {
    }

    @Test
    void cacheGain() throws Exception {
        List<Config> configs = List.of(
                new Config("all_on", Map.of()),
                new Config("identity_off", Map.of("nosso.cache.identity", "0s")),
                new Config("chats_off", Map.of("nosso.cache.chats", "0s")),
                new Config("preferences_off", Map.of("nosso.cache.preferences", "0s")),
                new Config("all_off", Map.of("nosso.cache.identity", "0s", "nosso.cache.chats", "0s",
                        "nosso.cache.preferences", "0s")));
        try (ScriptedUpstream upstream = ScriptedUpstream.start()) {
            upstream.models("quick");
            upstream.reply("quick", Script.tokens("Hello", " there", ",", " how", " can", " I", " help", "?"));
            List<Node> nodes = new ArrayList<>();
            try {
                for (Config config : configs) {
                    Map<String, Object> settings = new LinkedHashMap<>(config.caches());
                    settings.put("nosso.openai.base-url", upstream.openAiBaseUrl().toString());
                    settings.put("nosso.generation.titles", "false");
                    BenchSetup bench = new BenchSetup(settings);
                    ApiClient user = bench.newUser();
                    String key = user.post("/api/v1/api-keys", Map.of("name", "bench")).expect(201).text("/key");
                    nodes.add(new Node(config, bench, key, new long[SAMPLES], new long[SAMPLES]));
                }
                long[] direct = new long[SAMPLES];
                String[] chats = new String[nodes.size()];
                for (int i = -WARMUP; i < SAMPLES; i++) {
                    if (i == 0) { // as autovacuum would by now: PostgreSQL plans from the tables as they are
                        nodes.forEach(node -> node.bench().analyze());
                    }
                    long d = turns.direct(upstream);
                    for (int n = 0; n < nodes.size(); n++) {
                        Node node = nodes.get(n);
                        String base = node.bench().server.baseUrl();
                        if (i % 10 == 0 || chats[n] == null) {
                            chats[n] = turns.newChat(base, node.key()); // chats of up to 20 messages
                        }
                        long turn = turns.inOneRequest(base, node.key(), chats[n], "quick");
                        long me = me(base, node.key());
                        if (i >= 0) {
                            node.turn()[i] = turn;
                            node.me()[i] = me;
                        }
                    }
                    if (i >= 0) {
                        direct[i] = d;
                    }
                }
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("bench", "cache-gain");
                result.put("database", nodes.getFirst().bench().dialect());
                result.put("memory", System.getProperty("bench.memory", "on"));
                result.put("measured", "one-request turn until the first delta (added to a direct call taken just "
                        + "before) and GET /api/v1/auth/me with an API key, on five servers with caches on or off, "
                        + "interleaved, same JVM");
                result.put("direct", Stats.of(direct));
                for (Node node : nodes) {
                    Map<String, Object> figures = new LinkedHashMap<>();
                    figures.put("turn_added_p50_ms", Stats.ms(TurnBench.percentileDiff(new long[][] {direct, node.turn()}, 50)));
                    figures.put("turn_added_p99_ms", Stats.ms(TurnBench.percentileDiff(new long[][] {direct, node.turn()}, 99)));
                    figures.put("me", Stats.of(node.me()));
                    figures.put("cache_gets", cacheGets(node.bench()));
                    result.put(node.config().name(), figures);
                }
                BenchSetup.print(result);
            } finally {
                for (Node node : nodes) {
                    node.bench().close();
                }
            }
        }
    }

    private long me(String base, String key) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/me"))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/api/v1/auth/me answered " + response.statusCode());
        }
        return System.nanoTime() - start;
    }

    /** Hits and misses of each of Nosso's caches, from the server's Prometheus metrics. */
    private static Map<String, Object> cacheGets(BenchSetup bench) {
        String metrics = bench.server.admin().getAny("/actuator/prometheus").expect(200).body();
        Map<String, Object> gets = new LinkedHashMap<>();
        Matcher m = CACHE_GETS.matcher(metrics);
        while (m.find()) {
            gets.put(m.group(1) + "." + m.group(2), (long) Double.parseDouble(m.group(3)));
        }
        return gets;
    }
}
