package dev.nosso.bench;

import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerProcess;
import dev.nosso.support.SseStream;
import dev.nosso.support.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A bounded soak: the packaged server's code in a process of its own (512 MB heap, as {@code ServerProcess}
 * starts it) under mixed traffic from several users for {@code -Dsoak.minutes} (default 10) on loopback, with
 * a scripted upstream model. Each user loops over: a turn answered in the background ({@code chat}, the
 * {@code 202}), a turn streamed to its end ({@code stream}, the whole answer), a hybrid search of their memory
 * and files ({@code search}), a small upload ({@code upload}, its {@code 201}; ingestion runs behind) and a page
 * load (the chat list and the latest window of one chat, {@code page}), with a pause of 50–250 ms between
 * requests. Prints JSON: requests and errors per kind with p50/p90/p99, and the server's resident memory and heap
 * sampled every 10 s, with their slope (MB per minute, least squares) after the warm-up ({@code
 * -Dsoak.warmupMinutes}, default 2). Memory is flat when the slope is near zero.
 *
 * <p>Run outside the Maven lock: {@code bench/soak.sh} builds once and runs it with {@code java -cp}.
 */
class SoakBench {

    private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.E+]+)",
            Pattern.MULTILINE);

    private final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final Map<String, String> firstError = new ConcurrentHashMap<>();

    @Test
    void soak() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        new SoakBench().run();
    }

    private void run() throws Exception {
        double minutes = Double.parseDouble(System.getProperty("soak.minutes", "10"));
        double warmup = Double.parseDouble(System.getProperty("soak.warmupMinutes", "2"));
        int users = Integer.getInteger("soak.users", 6);
        Dialect dialect = Dialect.valueOf(System.getProperty("bench.db", "sqlite").toUpperCase(Locale.ROOT));
        try (TestDatabase database = TestDatabase.fresh(dialect);
             ScriptedUpstream upstream = ScriptedUpstream.start()) {
            upstream.models("m").reply("m", Script.repeat("soak ", 40).delay(Duration.ofMillis(5)));
            Map<String, Object> settings = Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                    "nosso.generation.titles", "false", "logging.level.dev.nosso", "warn");
            try (ServerProcess server = ServerProcess.start(database, settings)) {
                ApiClient admin = server.admin();
                long start = System.nanoTime();
                long end = start + (long) (minutes * 60e9);
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < users; i++) {
                    ApiClient user = server.newUser();
                    int index = i;
                    threads.add(Thread.ofVirtual().start(() -> userLoop(user, index, end)));
                }
                List<double[]> samples = new ArrayList<>(); // minutes, rss MB, heap MB
                while (System.nanoTime() < end) {
                    Thread.sleep(10_000);
                    double at = (System.nanoTime() - start) / 60e9;
                    samples.add(new double[] {at, rssMb(server.pid()), heapMb(admin)});
                }
                for (Thread t : threads) {
                    t.join(Duration.ofSeconds(60));
                }
                print(dialect, minutes, warmup, users, samples);
            }
        }
    }

    private void userLoop(ApiClient user, int index, long end) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String chat = user.post("/api/v1/chats", Map.of("title", "Soak " + index)).expect(201).text("/id");
        int round = 0;
        while (System.nanoTime() < end) {
            round++;
            String kind = switch (random.nextInt(10)) {
                case 0, 1 -> "chat";
                case 2, 3 -> "stream";
                case 4, 5 -> "search";
                case 6 -> "upload";
                default -> "page";
            };
            long t0 = System.nanoTime();
            try {
                switch (kind) {
                    case "chat" -> user.post("/api/v1/chats/" + chat + "/messages",
                            Map.of("content", "Question " + round + " about trams and tiles", "model", "m")).expect(202);
                    case "stream" -> {
                        String streamUrl = user.post("/api/v1/chats/" + chat + "/messages",
                                Map.of("content", "Stream " + round, "model", "m")).expect(202).text("/streamUrl");
                        try (SseStream stream = user.stream(streamUrl)) {
                            List<SseStream.Event> events = stream.untilEnd(Duration.ofSeconds(60));
                            String status = events.getLast().data().path("status").asString();
                            if (!status.equals("complete")) {
                                throw new AssertionError("the answer ended " + status);
                            }
                        }
                    }
                    case "search" -> user.post("/api/v1/search", Map.of("query", "trams tiles " + round,
                            "memory", true, "k", 10)).expect(200);
                    case "upload" -> user.upload("/api/v1/files", "note-" + index + "-" + round + ".md",
                            "text/markdown", ("# Note " + round + "\n\nTrams, tiles and bread, round " + round
                                    + " of user " + index + ".\n").getBytes(StandardCharsets.UTF_8), Map.of())
                            .expect(201);
                    default -> {
                        user.get("/api/v1/chats?limit=50").expect(200);
                        user.get("/api/v1/chats/" + chat + "/messages?limit=50").expect(200);
                    }
                }
                latencies.computeIfAbsent(kind, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                        .add(System.nanoTime() - t0);
            } catch (AssertionError | RuntimeException e) {
                errors.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
                firstError.putIfAbsent(kind, String.valueOf(e.getMessage()));
            }
            if (round % 200 == 0) { // a chat of a few hundred messages, then a new one, as people start new chats
                chat = user.post("/api/v1/chats", Map.of("title", "Soak " + index + "/" + round)).expect(201).text("/id");
            }
            try {
                Thread.sleep(random.nextLong(50, 250));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void print(Dialect dialect, double minutes, double warmup, int users, List<double[]> samples) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "SoakBench");
        out.put("database", dialect.name().toLowerCase(Locale.ROOT));
        out.put("minutes", minutes);
        out.put("users", users);
        long total = 0;
        long failed = 0;
        Map<String, Object> kinds = new LinkedHashMap<>();
        for (String kind : List.of("chat", "stream", "search", "upload", "page")) {
            List<Long> list = latencies.getOrDefault(kind, List.of());
            long[] nanos;
            synchronized (list) {
                nanos = list.stream().mapToLong(Long::longValue).toArray();
            }
            Map<String, Object> stats = new LinkedHashMap<>(Stats.of(nanos));
            long e = errors.getOrDefault(kind, new AtomicLong()).get();
            stats.put("errors", e);
            if (firstError.containsKey(kind)) {
                stats.put("first_error", firstError.get(kind));
            }
            kinds.put(kind, stats);
            total += nanos.length + e;
            failed += e;
        }
        out.put("requests", total);
        out.put("errors", failed);
        out.put("kinds", kinds);
        List<double[]> after = samples.stream().filter(s -> s[0] >= warmup).toList();
        out.put("rss_mb", summary(after, 1));
        out.put("heap_mb", summary(after, 2));
        out.put("samples", samples.stream().map(s -> List.of(round(s[0]), round(s[1]), round(s[2]))).toList());
        System.out.println(BenchSetup.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }

    /** First, last, min, max and the least-squares slope in MB per minute of one column after the warm-up. */
    private static Map<String, Object> summary(List<double[]> samples, int column) {
        Map<String, Object> s = new LinkedHashMap<>();
        if (samples.size() < 2) {
            return s;
        }
        double n = samples.size();
        double mx = samples.stream().mapToDouble(x -> x[0]).sum() / n;
        double my = samples.stream().mapToDouble(x -> x[column]).sum() / n;
        double sxy = samples.stream().mapToDouble(x -> (x[0] - mx) * (x[column] - my)).sum();
        double sxx = samples.stream().mapToDouble(x -> (x[0] - mx) * (x[0] - mx)).sum();
        s.put("first", round(samples.getFirst()[column]));
        s.put("last", round(samples.getLast()[column]));
        s.put("min", round(samples.stream().mapToDouble(x -> x[column]).min().orElse(0)));
        s.put("max", round(samples.stream().mapToDouble(x -> x[column]).max().orElse(0)));
        s.put("slope_mb_per_min", round(sxx == 0 ? 0 : sxy / sxx));
        return s;
    }

    private static double rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (Exception e) {
            // the process is gone: reported as 0
        }
        return 0;
    }

    private static double heapMb(ApiClient admin) {
        try {
            String text = admin.getAny("/actuator/prometheus").body();
            Matcher m = HEAP.matcher(text);
            double bytes = 0;
            while (m.find()) {
                bytes += Double.parseDouble(m.group(1));
            }
            return bytes / (1024 * 1024);
        } catch (RuntimeException | AssertionError e) {
            return 0;
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
