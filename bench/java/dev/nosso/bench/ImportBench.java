package dev.nosso.bench;

import dev.nosso.support.ApiClient;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * Importing a large ChatGPT export: generates {@code conversations.json} of {@code -Dbench.mb} megabytes (100 by
 * default) with conversations of 4 to 80 messages, a hidden system node at each root and about one regenerated
 * answer in ten (a sibling branch), uploads it through the API (streamed from the file) and waits for the import
 * to end, then exports every chat back as Nosso's JSON (streamed to a file). Prints the times, messages per second
 * and the heap: sampled every 50 ms while the job and the export run (the peak counts garbage not yet collected),
 * and after a full collection before and after. Run it under a small fixed
 * heap ({@code -Xmx}) to see the memory stay flat whatever the file's size. The user's memory is off unless
 * {@code -Dbench.memory=on}, so that embedding the imported messages does not run during the import.
 *
 * <p>{@code ./mvnw -Pbench test -Dtest=ImportBench -Dbench.mb=500}, or outside Maven with {@link #main}.
 */
class ImportBench {

    private static final String[] WORDS = ("the of and to in is you that it for was on are as with his they at be this "
            + "from have or one had by word but not what all were we when your can said there use an each which she "
            + "do how their if will up other about out many then them these so some her would make like him into "
            + "time has look two more write go see number no way could people my than first water been call who oil "
            + "its now find long down day did get come made may part pão de queijo café ação coração não é você")
            .split(" ");

    public static void main(String[] args) throws Exception {
        new ImportBench().aLargeChatGptExportImportsInConstantMemory();
    }

    @Test
    void aLargeChatGptExportImportsInConstantMemory() throws Exception {
        long megabytes = Long.getLong("bench.mb", 100);
        if (System.getProperty("bench.memory") == null) {
            System.setProperty("bench.memory", "off"); // BenchSetup.newUser turns the user's memory off
        }
        Path dir = Files.createTempDirectory("nosso-import-bench");
        Path file = dir.resolve("conversations.json");
        try {
            long t0 = System.nanoTime();
            long[] counts = generate(file, megabytes << 20);
            double generateSeconds = (System.nanoTime() - t0) / 1e9;
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            try (BenchSetup bench = new BenchSetup(Map.of("nosso.imports.max-bytes", String.valueOf(2L << 30)))) {
                ApiClient user = bench.newUser();
                String key = user.post("/api/v1/api-keys", Map.of("name", "bench")).expect(201).text("/key");
                System.gc();
                long heapBefore = memory.getHeapMemoryUsage().getUsed();
                AtomicLong peak = new AtomicLong();
                AtomicBoolean sampling = new AtomicBoolean(true);
                Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                    while (sampling.get()) {
                        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                long t1 = System.nanoTime();
                String id = upload(bench.server.baseUrl(), key, file);
                long t2 = System.nanoTime();
                JsonNode done;
                while (true) {
                    done = user.get("/api/v1/imports/" + id).expect(200).json();
                    String status = done.path("status").asString();
                    if (status.equals("done") || status.equals("failed")) {
                        break;
                    }
                    Thread.sleep(200);
                }
                long t3 = System.nanoTime();
                long importPeak = peak.getAndSet(0);
                // Then all of it back out, as Nosso's JSON, streamed to a file.
                Path exported = dir.resolve("export.json");
                HttpResponse<Path> export = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                        HttpRequest.newBuilder(URI.create(bench.server.baseUrl() + "/api/v1/exports?format=json"))
                                .header("Authorization", "Bearer " + key).GET().build(),
                        HttpResponse.BodyHandlers.ofFile(exported));
                long t4 = System.nanoTime();
                sampling.set(false);
                sampler.join();
                long exportPeak = peak.get();
                long exportedBytes = export.statusCode() == 200 ? Files.size(exported) : -1;
                Files.deleteIfExists(exported);
                System.gc();
                long heapAfter = memory.getHeapMemoryUsage().getUsed();
                double importSeconds = (t3 - t2) / 1e9;
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("bench", "import-chatgpt");
                result.put("database", bench.dialect());
                result.put("file_mb", Files.size(file) / 1048576.0);
                result.put("conversations", counts[0]);
                result.put("messages_in_file", counts[1]);
                result.put("status", done.path("status").asString());
                result.put("error", done.path("error").asString(null));
                result.put("report", done.path("report"));
                result.put("generate_s", round(generateSeconds));
                result.put("upload_s", round((t2 - t1) / 1e9));
                result.put("import_s", round(importSeconds));
                result.put("messages_per_s", round(done.at("/report/messagesImported").asLong() / importSeconds));
                result.put("mb_per_s", round(Files.size(file) / 1048576.0 / importSeconds));
                result.put("heap_max_mb", memory.getHeapMemoryUsage().getMax() / 1048576);
                result.put("heap_after_gc_before_mb", heapBefore / 1048576);
                result.put("heap_peak_sampled_import_mb", importPeak / 1048576);
                result.put("export_s", round((t4 - t3) / 1e9));
                result.put("export_mb", exportedBytes / 1048576.0);
                result.put("heap_peak_sampled_export_mb", exportPeak / 1048576);
                result.put("heap_after_gc_after_mb", heapAfter / 1048576);
                BenchSetup.print(result);
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /** Uploads the file as multipart, streamed from disk, with an API key; returns the import's id. */
    private static String upload(String baseUrl, String key, Path file) throws IOException, InterruptedException {
        String boundary = "nosso-bench-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"conversations.json\""
                + "\r\nContent-Type: application/json\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/imports"))
                .timeout(Duration.ofMinutes(30)).header("Authorization", "Bearer " + key)
                .header("Accept", "application/json").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head),
                        HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofString(tail)))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new AssertionError("upload answered " + response.statusCode() + ": " + response.body());
        }
        return ApiClient.JSON.readTree(response.body()).path("id").asString();
    }

    /** Writes conversations until the file reaches {@code bytes}; returns how many conversations and messages. */
    static long[] generate(Path file, long bytes) throws IOException {
        Random random = new Random(42);
        long conversations = 0;
        long messages = 0;
        try (OutputStream out = Files.newOutputStream(file);
             JsonGenerator gen = ApiClient.JSON.createGenerator(out)) {
            gen.writeStartArray();
            double start = 1.6e9;
            while (true) {
                gen.flush();
                if (Files.size(file) >= bytes) {
                    break;
                }
                String id = new UUID(random.nextLong(), random.nextLong()).toString();
                double time = start + conversations * 3600;
                int turns = 2 + random.nextInt(39);
                gen.writeStartObject();
                gen.writeStringProperty("title", "Conversation " + conversations + " " + text(random, 4));
                gen.writeNumberProperty("create_time", time);
                gen.writeNumberProperty("update_time", time + turns * 60);
                gen.writeName("mapping");
                gen.writeStartObject();
                node(gen, "root", null, null, null, 0, null);
                node(gen, "sys", "root", "system", "", time, null);
                String parent = "sys";
                String leaf = null;
                for (int i = 0; i < turns; i++) {
                    String question = "q" + i;
                    node(gen, question, parent, "user", text(random, 10 + random.nextInt(40)), time + i * 60, null);
                    String answer = "a" + i;
                    node(gen, answer, question, "assistant", text(random, 60 + random.nextInt(240)), time + i * 60 + 5,
                            "gpt-4o");
                    messages += 2;
                    if (random.nextInt(10) == 0) { // a regenerated answer: another branch under the same question
                        node(gen, answer + "b", question, "assistant", text(random, 60 + random.nextInt(240)),
                                time + i * 60 + 30, "gpt-4o");
                        messages++;
                    }
                    parent = answer;
                    leaf = answer;
                }
                gen.writeEndObject();
                gen.writeStringProperty("current_node", leaf);
                gen.writeStringProperty("conversation_id", id);
                gen.writeStringProperty("default_model_slug", "gpt-4o");
                gen.writeStringProperty("id", id);
                gen.writeEndObject();
                conversations++;
            }
            gen.writeEndArray();
        }
        return new long[] {conversations, messages};
    }

    // ChatGPT lists each node's children too; the importer reads the parents, so they are left out here.
    private static void node(JsonGenerator gen, String id, String parent, String role, String text, double time,
                             String model) {
        gen.writeName(id);
        gen.writeStartObject();
        gen.writeStringProperty("id", id);
        if (role == null) {
            gen.writeNullProperty("message");
        } else {
            gen.writeName("message");
            gen.writeStartObject();
            gen.writeStringProperty("id", id);
            gen.writeName("author");
            gen.writeStartObject();
            gen.writeStringProperty("role", role);
            gen.writeEndObject();
            gen.writeNumberProperty("create_time", time);
            gen.writeName("content");
            gen.writeStartObject();
            gen.writeStringProperty("content_type", "text");
            gen.writeName("parts");
            gen.writeStartArray();
            gen.writeString(text);
            gen.writeEndArray();
            gen.writeEndObject();
            gen.writeStringProperty("status", "finished_successfully");
            gen.writeName("metadata");
            gen.writeStartObject();
            if (model != null) {
                gen.writeStringProperty("model_slug", model);
            }
            if ("system".equals(role)) {
                gen.writeBooleanProperty("is_visually_hidden_from_conversation", true);
            }
            gen.writeEndObject();
            gen.writeStringProperty("recipient", "all");
            gen.writeEndObject();
        }
        gen.writeStringProperty("parent", parent);
        gen.writeEndObject();
    }

    private static String text(Random random, int words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
