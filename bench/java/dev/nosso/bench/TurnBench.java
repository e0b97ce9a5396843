package dev.nosso.bench;

import dev.nosso.support.ApiClient;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a turn through Nosso adds to the time to first token of a direct call to the same upstream, measured
 * in the same run and interleaved: once with the server otherwise idle, and once while 1,000 other answers
 * stream through it. Also the bytes on the wire per streamed token, for a short and a 10,000-token answer.
 *
 * <p>"Through Nosso" is what a client sees: {@code POST} the message (the question and the empty answer are
 * committed before the 202), open the answer's stream, first {@code delta}. "Direct" is a streamed
 * {@code POST /v1/chat/completions} to the upstream, until its first content chunk.
 */
class TurnBench {

    static final int WARMUP = 200;
    static final int SAMPLES = 1000;
    static final int LOADED_SAMPLES = 300;
    static final int BACKGROUND_STREAMS = 1000;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void turnOverhead() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start()) {
            upstream.models("quick", "slow", "long", "gated");
            upstream.reply("quick", Script.tokens("Hello", " there", ",", " how", " can", " I", " help", "?"));
            upstream.reply("long", Script.repeat(" token", 10_000));
            try (BenchSetup bench = new BenchSetup(Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                    "nosso.generation.titles", "false"))) {
                ApiClient user = bench.newUser();
                String key = user.post("/api/v1/api-keys", Map.of("name", "bench")).expect(201).text("/key");
                String base = bench.server.baseUrl();
                String chat = bench.newChat(user);

                Map<String, Object> result = new LinkedHashMap<>();
                result.put("bench", "turn-overhead");
                result.put("database", bench.dialect());
                result.put("redis", !System.getProperty("bench.redis", "").isBlank());
                result.put("memory", System.getProperty("bench.memory", "on"));
                result.put("measured", "time to first token: direct streamed call to the scripted upstream vs "
                        + "POST message + open stream + first delta through Nosso (and vs the POST answered with "
                        + "the stream: one_request; and vs a streamed /v1/chat/completions, stored or not), interleaved, same JVM");

                interleave(upstream, base, key, chat, WARMUP, 0);
                bench.analyze(); // as autovacuum would by now: PostgreSQL plans from the tables as they are
                long[][] idle = interleave(upstream, base, key, chat, 0, SAMPLES);
                result.put("idle_direct", Stats.of(idle[0]));
                result.put("idle_nosso", Stats.of(idle[1]));
                result.put("idle_added_p50_ms", Stats.ms(percentileDiff(idle, 50)));
                result.put("idle_added_p99_ms", Stats.ms(percentileDiff(idle, 99)));
                result.put("idle_nosso_post_to_202", Stats.of(idle[2]));
                result.put("idle_nosso_one_request", Stats.of(idle[3]));
                result.put("idle_one_request_added_p50_ms", Stats.ms(percentileDiff(new long[][] {idle[0], idle[3]}, 50)));
                result.put("idle_one_request_added_p99_ms", Stats.ms(percentileDiff(new long[][] {idle[0], idle[3]}, 99)));
                result.put("idle_openai_stream", Stats.of(idle[4]));
                result.put("idle_openai_added_p50_ms", Stats.ms(percentileDiff(new long[][] {idle[0], idle[4]}, 50)));
                result.put("idle_openai_added_p99_ms", Stats.ms(percentileDiff(new long[][] {idle[0], idle[4]}, 99)));
                result.put("idle_openai_stored", Stats.of(idle[5]));
                result.put("idle_openai_stored_added_p50_ms", Stats.ms(percentileDiff(new long[][] {idle[0], idle[5]}, 50)));
                result.put("idle_openai_stored_added_p99_ms", Stats.ms(percentileDiff(new long[][] {idle[0], idle[5]}, 99)));
                long[][] relayIdle = relay(upstream, base, key, chat, 100, 500);
                result.put("idle_relay_direct", Stats.of(relayIdle[0]));
                result.put("idle_relay_nosso", Stats.of(relayIdle[1]));
                result.put("idle_relay_added_p50_ms", Stats.ms(percentileDiff(relayIdle, 50)));
                result.put("idle_relay_added_p99_ms", Stats.ms(percentileDiff(relayIdle, 99)));

                result.put("bytes_per_token", bytesPerToken(upstream, base, key, chat));

                // 1,000 answers streaming at 5 tokens/s each (80 s long) while the samples are taken.
                upstream.reply("slow", Script.repeat(" word", 400).delay(Duration.ofMillis(200)));
                Background background = startBackground(base, key, user, bench);
                result.put("background_streams_live_before", background.live.get());
                long[][] loaded = interleave(upstream, base, key, chat, 20, LOADED_SAMPLES);
                result.put("loaded_direct", Stats.of(loaded[0]));
                result.put("loaded_nosso", Stats.of(loaded[1]));
                result.put("loaded_added_p50_ms", Stats.ms(percentileDiff(loaded, 50)));
                result.put("loaded_added_p99_ms", Stats.ms(percentileDiff(loaded, 99)));
                result.put("loaded_nosso_post_to_202", Stats.of(loaded[2]));
                result.put("loaded_nosso_one_request", Stats.of(loaded[3]));
                result.put("loaded_one_request_added_p50_ms", Stats.ms(percentileDiff(new long[][] {loaded[0], loaded[3]}, 50)));
                result.put("loaded_one_request_added_p99_ms", Stats.ms(percentileDiff(new long[][] {loaded[0], loaded[3]}, 99)));
                result.put("loaded_openai_stream", Stats.of(loaded[4]));
                result.put("loaded_openai_added_p50_ms", Stats.ms(percentileDiff(new long[][] {loaded[0], loaded[4]}, 50)));
                result.put("loaded_openai_added_p99_ms", Stats.ms(percentileDiff(new long[][] {loaded[0], loaded[4]}, 99)));
                result.put("loaded_openai_stored", Stats.of(loaded[5]));
                result.put("loaded_openai_stored_added_p50_ms", Stats.ms(percentileDiff(new long[][] {loaded[0], loaded[5]}, 50)));
                result.put("loaded_openai_stored_added_p99_ms", Stats.ms(percentileDiff(new long[][] {loaded[0], loaded[5]}, 99)));
                long[][] relayLoaded = relay(upstream, base, key, chat, 20, 200);
                result.put("loaded_relay_direct", Stats.of(relayLoaded[0]));
                result.put("loaded_relay_nosso", Stats.of(relayLoaded[1]));
                result.put("loaded_relay_added_p50_ms", Stats.ms(percentileDiff(relayLoaded, 50)));
                result.put("loaded_relay_added_p99_ms", Stats.ms(percentileDiff(relayLoaded, 99)));
                result.put("background_streams_live_after", background.live.get());
                result.put("background_errors", background.errors.get());
                result.put("goal_added_ms", Map.of("p50", 1, "p99", 5));
                background.stop();
                BenchSetup.print(result);
            }
        }
    }

    private long[][] interleave(ScriptedUpstream upstream, String base, String key, String chat, int warmup, int samples)
            throws Exception {
        long[] direct = new long[samples];
        long[] nosso = new long[samples];
        long[] accepted = new long[samples];
        long[] oneRequest = new long[samples];
        long[] openAi = new long[samples];
        long[] openAiStored = new long[samples];
        String current = chat;
        for (int i = -warmup; i < samples; i++) {
            if (i % 10 == 0) {
                current = newChat(base, key); // chats of up to 20 messages, as in daily use
            }
            long d = direct(upstream);
            Streamed n = throughNosso(base, key, current, "quick");
            long one = inOneRequest(base, key, current, "quick");
            long v1 = throughOpenAiApi(base, key, false);
            long v1Stored = throughOpenAiApi(base, key, true);
            if (i >= 0) {
                direct[i] = d;
                nosso[i] = n.firstTokenNanos;
                accepted[i] = n.acceptedNanos;
                oneRequest[i] = one;
                openAi[i] = v1;
                openAiStored[i] = v1Stored;
            }
        }
        return new long[][] {direct, nosso, accepted, oneRequest, openAi, openAiStored};
    }

    /** A streamed {@code POST /v1/chat/completions} through Nosso, until its first content chunk. */
    private long throughOpenAiApi(String base, String key, boolean store) throws Exception {
        String body = "{\"model\":\"quick\",\"stream\":true,\"store\":" + store
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        long start = System.nanoTime();
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (stream.statusCode() != 200) {
            throw new IllegalStateException("/v1/chat/completions answered " + stream.statusCode());
        }
        return firstMatch(stream.body(), "\"content\":\"Hello", start); // not the empty role chunk
    }

    /** The turn with its stream as the answer to the POST (Accept: text/event-stream): one request. */
    long inOneRequest(String base, String key, String chat, String model) throws Exception {
        String body = "{\"content\":\"Hi\",\"model\":\"" + model + "\"}";
        long start = System.nanoTime();
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/chats/" + chat
                        + "/messages")).header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .header("Accept", "text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        return firstMatch(stream.body(), "event: delta", start);
    }

    /**
     * The time Nosso adds between the upstream's first token and the client's first delta, with the turn
     * already set up: the upstream holds before its first token until both a direct client and a Nosso
     * client are waiting, then the gate opens and the clock starts.
     */
    private long[][] relay(ScriptedUpstream upstream, String base, String key, String chat, int warmup, int samples)
            throws Exception {
        long[] direct = new long[samples];
        long[] nosso = new long[samples];
        String current = chat;
        for (int i = -warmup; i < samples; i++) {
            if (i % 10 == 0) {
                current = newChat(base, key);
            }
            Script.Gate gate = new Script.Gate();
            upstream.replyOnce("gated", Script.tokens("Hello", " there").holdAfter(0, gate));
            long d = gatedDirect(upstream, gate);
            gate = new Script.Gate();
            upstream.replyOnce("gated", Script.tokens("Hello", " there").holdAfter(0, gate));
            long n = gatedNosso(base, key, current, gate);
            if (i >= 0) {
                direct[i] = d;
                nosso[i] = n;
            }
        }
        return new long[][] {direct, nosso};
    }

    private long gatedDirect(ScriptedUpstream upstream, Script.Gate gate) throws Exception {
        String body = "{\"model\":\"gated\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        var pending = http.sendAsync(HttpRequest.newBuilder(URI.create(upstream.openAiBaseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        gate.awaitReached(Duration.ofSeconds(30));
        InputStream in = pending.get().body(); // headers are sent before the gate
        long start = System.nanoTime();
        gate.release();
        return firstMatch(in, "\"content\"", start);
    }

    private long gatedNosso(String base, String key, String chat, Script.Gate gate) throws Exception {
        HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/chats/" + chat
                        + "/messages")).header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"Hi\",\"model\":\"gated\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        String streamUrl = BenchSetup.JSON.readTree(sent.body()).path("streamUrl").asString();
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base + streamUrl))
                .header("Authorization", "Bearer " + key).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        gate.awaitReached(Duration.ofSeconds(30));
        long start = System.nanoTime();
        gate.release();
        return firstMatch(stream.body(), "event: delta", start);
    }

    /** Reads until {@code marker} appears, returns the time since {@code start}, then drains the rest. */
    private static long firstMatch(InputStream body, String marker, long start) throws IOException {
        long first = 0;
        try (InputStream in = body) {
            byte[] buffer = new byte[8192];
            StringBuilder seen = new StringBuilder();
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (first == 0) {
                    seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    if (seen.indexOf(marker) >= 0) {
                        first = System.nanoTime() - start;
                    }
                }
            }
        }
        return first;
    }

    String newChat(String base, String key) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/chats"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        return BenchSetup.JSON.readTree(created.body()).path("id").asString();
    }

    static long percentileDiff(long[][] pair, int p) {
        long[] a = pair[0].clone();
        long[] b = pair[1].clone();
        java.util.Arrays.sort(a);
        java.util.Arrays.sort(b);
        int index = Math.max(0, (int) Math.ceil(p / 100.0 * a.length) - 1);
        return b[index] - a[index];
    }

    long direct(ScriptedUpstream upstream) throws Exception {
        String body = "{\"model\":\"quick\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(upstream.openAiBaseUrl()
                        + "/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        long first = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (first == 0 && line.startsWith("data:") && line.contains("\"content\"")) {
                    first = System.nanoTime() - start;
                }
            }
        }
        return first;
    }

    /** @param acceptedNanos from sending the POST to its 202, the ids in hand */
    record Streamed(long firstTokenNanos, long acceptedNanos, long bytes, int deltas, String messageId) {
    }

    private Streamed throughNosso(String base, String key, String chat, String model) throws Exception {
        String body = "{\"content\":\"Hi\",\"model\":\"" + model + "\"}";
        long start = System.nanoTime();
        HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/chats/" + chat
                        + "/messages")).header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (sent.statusCode() != 202) {
            throw new IllegalStateException("POST answered " + sent.statusCode() + ": " + sent.body());
        }
        long accepted = System.nanoTime() - start;
        var json = BenchSetup.JSON.readTree(sent.body());
        String streamUrl = json.path("streamUrl").asString();
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base + streamUrl))
                .header("Authorization", "Bearer " + key).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long first = 0;
        long bytes = 0;
        int deltas = 0;
        try (InputStream in = stream.body()) {
            byte[] buffer = new byte[8192];
            StringBuilder pending = new StringBuilder();
            int n;
            while ((n = in.read(buffer)) > 0) {
                bytes += n;
                pending.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                int at;
                while ((at = pending.indexOf("event: delta")) >= 0) {
                    if (first == 0) {
                        first = System.nanoTime() - start;
                    }
                    deltas++;
                    pending.delete(0, at + 12);
                }
                if (pending.length() > 64) {
                    pending.delete(0, pending.length() - 64);
                }
            }
        }
        return new Streamed(first, accepted, bytes, deltas, json.at("/assistantMessage/id").asString());
    }

    private Map<String, Object> bytesPerToken(ScriptedUpstream upstream, String base, String key, String chat)
            throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        Streamed small = throughNosso(base, key, chat, "quick");
        Streamed large = throughNosso(base, key, chat, "long");
        figures.put("short_answer_tokens", 8);
        figures.put("short_answer_bytes", small.bytes);
        figures.put("short_bytes_per_token", Math.round(small.bytes / 8.0 * 10) / 10.0);
        figures.put("long_answer_tokens", 10_000);
        figures.put("long_answer_bytes", large.bytes);
        figures.put("long_bytes_per_token", Math.round(large.bytes / 10_000.0 * 10) / 10.0);
        figures.put("long_delta_events", large.deltas);
        figures.put("note", "the stream ends with a done event carrying the whole final message, so a "
                + "short answer pays for its text twice; per delta the cost is constant");
        return figures;
    }

    /** Answers streaming in the background, each in a chat of its own, each read by a client as it comes. */
    private final class Background {
        final AtomicInteger live = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final List<Thread> threads = new ArrayList<>();
        volatile boolean stopping;

        void stop() throws InterruptedException {
            stopping = true;
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(120));
            }
        }
    }

    private Background startBackground(String base, String key, ApiClient user, BenchSetup bench)
            throws InterruptedException {
        Background background = new Background();
        CountDownLatch allStreaming = new CountDownLatch(BACKGROUND_STREAMS);
        for (int i = 0; i < BACKGROUND_STREAMS; i++) {
            String chat = bench.newChat(user);
            background.threads.add(Thread.ofVirtual().start(() -> {
                try {
                    background.live.incrementAndGet();
                    allStreaming.countDown();
                    throughNosso(base, key, chat, "slow");
                } catch (Exception e) {
                    background.errors.incrementAndGet();
                    allStreaming.countDown();
                } finally {
                    background.live.decrementAndGet();
                }
            }));
        }
        allStreaming.await();
        Thread.sleep(3_000); // every stream past its first token
        return background;
    }
}
