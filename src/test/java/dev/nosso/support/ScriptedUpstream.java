package dev.nosso.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A language-model server for tests: real HTTP on 127.0.0.1, speaking both the OpenAI-compatible protocol
 * (SSE, under {@link #openAiBaseUrl()}) and Ollama's (NDJSON, under {@link #ollamaBaseUrl()}). Each test
 * scripts what it answers and reads back what was sent.
 *
 * <pre>{@code
 * try (var upstream = ScriptedUpstream.start()) {
 *     upstream.models("m1", "m2").contextLength("m1", 8192)
 *             .reply("m1", Script.tokens("Hello", " world").delay(Duration.ofMillis(20)))
 *             .slow("/v1/models", Duration.ofSeconds(10));
 *     ... call upstream.openAiBaseUrl() or upstream.ollamaBaseUrl() ...
 *     assertThat(upstream.lastChat().bearerToken()).isEqualTo("sk-test");
 * }
 * }</pre>
 *
 * <p>A chat request gets, in order of preference: the next {@link #replyOnce} script for its model, the
 * {@link #reply} script for its model, a 404 when {@link #models} lists models and not this one (as the real
 * servers do), or the default script ({@link Script#echo()} unless {@link #defaultReply} changed it). A
 * {@code max_tokens} / {@code num_predict} shorter than the script cuts it with finish reason {@code length}.
 */
public final class ScriptedUpstream implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<String> models = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> contextLengths = new ConcurrentHashMap<>();
    private final Map<String, List<String>> capabilities = new ConcurrentHashMap<>();
    private final Map<String, Script> replies = new ConcurrentHashMap<>();
    private final Map<String, Deque<Script>> onceReplies = new HashMap<>();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> hungUp = new CopyOnWriteArrayList<>();
    private volatile Script defaultReply = Script.echo();
    private volatile int embeddingDimensions = 64;

    private record Route(Duration delay, int status, String body) {
    }

    static {
        // The JDK's server leaves Nagle's algorithm on unless told otherwise: a token written right after the
        // headers then waits for their acknowledgement, up to the 40 ms of a delayed ACK. Real model servers
        // (Go's net/http, uvicorn) set TCP_NODELAY, and timings through this one should not differ.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private ScriptedUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static ScriptedUpstream start() {
        try {
            return new ScriptedUpstream();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the scripted upstream", e);
        }
    }

    /** {@code http://127.0.0.1:port}, with no trailing slash. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The base URL an OpenAI-compatible connection stores: {@code http://127.0.0.1:port/v1}. */
    public URI openAiBaseUrl() {
        return URI.create(baseUrl() + "/v1");
    }

    /** The base URL an Ollama connection stores: {@code http://127.0.0.1:port}. */
    public URI ollamaBaseUrl() {
        return baseUrl();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The models both {@code /v1/models} and {@code /api/tags} list, replacing any listed before. */
    public ScriptedUpstream models(String... ids) {
        models.clear();
        models.addAll(List.of(ids));
        return this;
    }

    /**
     * The context length {@code /api/show} reports for this model (as {@code llama.context_length}); also
     * listed as {@code context_length} in {@code /v1/models}, as some OpenAI-compatible servers do.
     */
    public ScriptedUpstream contextLength(String model, int tokens) {
        contextLengths.put(model, tokens);
        return this;
    }

    /**
     * The capabilities {@code /api/show} lists for this model, as Ollama 0.6 and later do ({@code completion},
     * {@code vision}, ...); without this call it lists none, as an older Ollama.
     */
    public ScriptedUpstream capabilities(String model, String... names) {
        capabilities.put(model, List.of(names));
        return this;
    }

    /** Every chat request for {@code model} gets this script. */
    public ScriptedUpstream reply(String model, Script script) {
        replies.put(model, script);
        return this;
    }

    /** The next chat request for {@code model} gets this script; queued ones go first, in order. */
    public ScriptedUpstream replyOnce(String model, Script script) {
        synchronized (onceReplies) {
            onceReplies.computeIfAbsent(model, m -> new ArrayDeque<>()).add(script);
        }
        return this;
    }

    /** What a chat request for a model with no script of its own gets (initially {@link Script#echo()}). */
    public ScriptedUpstream defaultReply(Script script) {
        defaultReply = script;
        return this;
    }

    /** Delays every answer on this path (e.g. {@code /v1/models}, {@code /api/show}) before its headers. */
    public ScriptedUpstream slow(String path, Duration delay) {
        routes.merge(path, new Route(delay, 0, null), (old, now) -> new Route(delay, old.status, old.body));
        return this;
    }

    /** Answers every request on this path with this status and JSON body. */
    public ScriptedUpstream fail(String path, int status, String body) {
        routes.merge(path, new Route(Duration.ZERO, status, body), (old, now) -> new Route(old.delay, status, body));
        return this;
    }

    /** Every request received so far, in order of arrival. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The requests received on this path, in order of arrival. */
    public List<RecordedRequest> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /**
     * The streamed chat requests whose client closed the connection before the answer's end: a write failed.
     * An answer paced with {@link Script#delay} notices within a token or two.
     */
    public List<RecordedRequest> hungUp() {
        return List.copyOf(hungUp);
    }

    /** The last chat request in either protocol; fails the test when there was none. */
    public RecordedRequest lastChat() {
        for (RecordedRequest r : requests.reversed()) {
            if (r.path().equals("/v1/chat/completions") || r.path().equals("/api/chat")) {
                return r;
            }
        }
        throw new AssertionError("The upstream received no chat request; it received " + paths());
    }

    /**
     * The length of the vectors {@code /v1/embeddings} and {@code /api/embed} answer (64 unless set). Each
     * vector is a bag of the text's words hashed into that many numbers: texts that share words are near.
     */
    public ScriptedUpstream embeddingDimensions(int dimensions) {
        this.embeddingDimensions = dimensions;
        return this;
    }

    /** Forgets every script, route, model and recorded request, as if freshly started. */
    public void reset() {
        models.clear();
        contextLengths.clear();
        capabilities.clear();
        replies.clear();
        synchronized (onceReplies) {
            onceReplies.clear();
        }
        routes.clear();
        requests.clear();
        hungUp.clear();
        defaultReply = Script.echo();
        embeddingDimensions = 64;
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "ScriptedUpstream[" + baseUrl() + ", " + new ArrayList<>(models) + "]";
    }

    private List<String> paths() {
        return requests.stream().map(r -> r.method() + " " + r.path()).toList();
    }

    // No try-with-resources: closing the exchange ends the body cleanly, and a scripted disconnect or a closing
    // upstream must not. Throwing out of here makes the JDK server close the connection as it is (no final
    // zero-length chunk), so the client sees the connection drop rather than a clean end of the body.
    private void handle(HttpExchange exchange) throws IOException {
        respond(exchange);
        exchange.close();
    }

    private void respond(HttpExchange exchange) throws IOException {
        RecordedRequest request = record(exchange);
        Route route = routes.get(request.path());
        if (route != null) {
            pause(route.delay());
            if (route.status() != 0) {
                sendJson(exchange, route.status(), route.body());
                return;
            }
        }
        switch (request.method() + " " + request.path()) {
            case "GET /v1/models" -> sendJson(exchange, 200, OpenAiWire.models(models, contextLengths));
            case "GET /api/tags" -> sendJson(exchange, 200, OllamaWire.tags(models));
            case "GET /api/version" -> sendJson(exchange, 200, "{\"version\":\"0.9.0\"}");
            case "POST /api/show" -> show(exchange, request);
            case "POST /v1/chat/completions" -> chat(exchange, request, new OpenAiWire(request.json()));
            case "POST /api/chat" -> chat(exchange, request, new OllamaWire(request.json()));
            case "POST /v1/embeddings", "POST /api/embed" -> embed(exchange, request);
            default -> sendJson(exchange, 404, JSON.createObjectNode()
                    .put("error", "no route for " + request.method() + " " + request.path()).toString());
        }
    }

    private RecordedRequest record(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        JsonNode json;
        try {
            json = body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
        } catch (RuntimeException notJson) {
            json = MissingNode.getInstance();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        var request = new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                headers, body, json);
        requests.add(request);
        return request;
    }

    private void embed(HttpExchange exchange, RecordedRequest request) throws IOException {
        boolean openAi = request.path().startsWith("/v1/");
        JsonNode input = request.json().path("input");
        List<String> texts = new ArrayList<>();
        if (input.isArray()) {
            input.forEach(t -> texts.add(t.asString("")));
        } else {
            texts.add(input.asString(""));
        }
        ObjectNode answer = JSON.createObjectNode().put("model", request.model());
        var list = openAi ? answer.putArray("data") : answer.putArray("embeddings");
        for (int i = 0; i < texts.size(); i++) {
            var vector = JSON.createArrayNode();
            for (float x : bagOfWords(texts.get(i), embeddingDimensions)) {
                vector.add(x);
            }
            if (openAi) {
                list.addObject().put("object", "embedding").put("index", i).set("embedding", vector);
            } else {
                list.add(vector);
            }
        }
        sendJson(exchange, 200, answer.toString());
    }

    private static float[] bagOfWords(String text, int dimensions) {
        float[] v = new float[dimensions];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                v[Math.floorMod(word.hashCode(), dimensions)] += 1;
            }
        }
        v[0] += 0.01f; // never all zeros
        return v;
    }

    private void show(HttpExchange exchange, RecordedRequest request) throws IOException {
        String model = request.json().path(request.json().has("model") ? "model" : "name").asString("");
        if (!models.contains(model)) {
            sendJson(exchange, 404, JSON.createObjectNode().put("error", "model '" + model + "' not found").toString());
            return;
        }
        sendJson(exchange, 200, OllamaWire.show(model, contextLengths.get(model), capabilities.get(model)));
    }

    private void chat(HttpExchange exchange, RecordedRequest request, Wire wire) throws IOException {
        String model = request.model();
        Script script = scriptFor(model);
        if (script == null) {
            sendJson(exchange, 404, wire.unknownModel(model));
            return;
        }
        if (script.hangsBeforeHeaders()) {
            hang();
        }
        pause(script.headersAfter());
        if (script.status() != 0) {
            sendJson(exchange, script.status(), script.errorBody());
            return;
        }
        List<String> tokens = script.tokensFor(request.json());
        String finishReason = script.finishReason();
        Integer max = wire.maxTokens();
        if (max != null && max < tokens.size()) {
            tokens = tokens.subList(0, max);
            finishReason = "length";
        }
        int promptTokens = script.promptTokensFor(request.json());
        int completionTokens = script.completionTokensFor(tokens.size());
        if (!wire.streams()) {
            if (script.fault() == Script.Fault.DISCONNECT || script.fault() == Script.Fault.HANG) {
                hang(); // a whole answer has no middle: either fault means no answer at all
            }
            sendJson(exchange, 200, wire.whole(String.join("", tokens), finishReason, promptTokens, completionTokens));
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", wire.contentType());
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        write(out, request, wire.begin());
        int faultAt = Math.min(script.faultAfter(), tokens.size());
        for (int i = 0; ; i++) {
            if (script.gate() != null && i == script.gateAfter()) {
                hold(script.gate());
            }
            if (script.fault() != Script.Fault.NONE && i == faultAt) {
                switch (script.fault()) {
                    case MALFORMED -> write(out, request, wire.malformed());
                    case ERROR_EVENT -> {
                        write(out, request, wire.error(script.faultMessage()));
                        return;
                    }
                    case TRUNCATE -> {
                        return;
                    }
                    case DISCONNECT -> throw new IOException("scripted disconnect");
                    case HANG -> hang();
                    default -> throw new IllegalStateException(script.fault().name());
                }
            }
            if (i == tokens.size()) {
                break;
            }
            pause(script.delay());
            write(out, request, wire.token(tokens.get(i)));
        }
        write(out, request, wire.end(finishReason, promptTokens, completionTokens, script.sendsDone()));
    }

    private Script scriptFor(String model) {
        synchronized (onceReplies) {
            Deque<Script> queued = onceReplies.get(model);
            if (queued != null && !queued.isEmpty()) {
                return queued.poll();
            }
        }
        Script script = replies.get(model);
        if (script != null) {
            return script;
        }
        return models.isEmpty() || models.contains(model) ? defaultReply : null;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush(); // one chunk on the wire per token, as real servers stream
    }

    /** A piece of a streamed answer; a write that fails means the client closed the connection. */
    private void write(OutputStream out, RecordedRequest request, String text) throws IOException {
        try {
            write(out, text);
        } catch (IOException e) {
            hungUp.add(request);
            throw e;
        }
    }

    private static void sendJson(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void pause(Duration delay) throws IOException {
        if (delay.isZero()) {
            return;
        }
        try {
            if (closing.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IOException("upstream closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void hang() throws IOException {
        try {
            closing.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IOException("upstream closed while hanging");
    }

    private void hold(Script.Gate gate) throws IOException {
        try {
            if (!gate.pass(closing)) {
                throw new IOException("upstream closed while held at a gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** How one protocol frames a streamed answer. */
    private interface Wire {

        boolean streams();

        Integer maxTokens();

        String contentType();

        String begin();

        String token(String text);

        String malformed();

        String error(String message);

        String end(String finishReason, int promptTokens, int completionTokens, boolean done);

        String whole(String content, String finishReason, int promptTokens, int completionTokens);

        String unknownModel(String model);
    }

    private static final class OpenAiWire implements Wire {

        private static final long CREATED = 1_750_000_000L;

        private final JsonNode request;
        private final String model;

        OpenAiWire(JsonNode request) {
            this.request = request;
            this.model = request.path("model").asString("");
        }

        static String models(List<String> models, Map<String, Integer> contextLengths) {
            ObjectNode list = JSON.createObjectNode().put("object", "list");
            var data = list.putArray("data");
            for (String id : models) {
                ObjectNode model = data.addObject().put("id", id).put("object", "model").put("created", CREATED)
                        .put("owned_by", "scripted");
                if (contextLengths.containsKey(id)) {
                    model.put("context_length", contextLengths.get(id));
                }
            }
            return list.toString();
        }

        @Override
        public boolean streams() {
            return request.path("stream").asBoolean(false);
        }

        @Override
        public Integer maxTokens() {
            JsonNode max = request.has("max_completion_tokens") ? request.get("max_completion_tokens")
                    : request.path("max_tokens");
            return max.isIntegralNumber() ? max.intValue() : null;
        }

        @Override
        public String contentType() {
            return "text/event-stream";
        }

        // A comment first, as some routers send while they wait for the model; then the role chunk OpenAI sends.
        @Override
        public String begin() {
            ObjectNode delta = JSON.createObjectNode().put("role", "assistant").put("content", "");
            return ": scripted upstream\n\n" + data(chunk(delta, null));
        }

        @Override
        public String token(String text) {
            return data(chunk(JSON.createObjectNode().put("content", text), null));
        }

        @Override
        public String malformed() {
            return "data: {\"id\":\"chatcmpl-scripted\",\"choices\":[{\"delta\":{\"content\":\"bro\n\n";
        }

        @Override
        public String error(String message) {
            ObjectNode error = JSON.createObjectNode();
            error.putObject("error").put("message", message).put("type", "server_error");
            return data(error);
        }

        @Override
        public String end(String finishReason, int promptTokens, int completionTokens, boolean done) {
            StringBuilder out = new StringBuilder(data(chunk(JSON.createObjectNode(), finishReason)));
            if (request.path("stream_options").path("include_usage").asBoolean(false)) {
                ObjectNode last = envelope("chat.completion.chunk");
                last.putArray("choices");
                usage(last, promptTokens, completionTokens);
                out.append(data(last));
            }
            return (done ? out.append("data: [DONE]\n\n") : out).toString();
        }

        @Override
        public String whole(String content, String finishReason, int promptTokens, int completionTokens) {
            ObjectNode completion = envelope("chat.completion");
            ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", content);
            choice.put("finish_reason", finishReason);
            usage(completion, promptTokens, completionTokens);
            return completion.toString();
        }

        @Override
        public String unknownModel(String model) {
            ObjectNode error = JSON.createObjectNode();
            error.putObject("error").put("message", "The model `" + model + "` does not exist")
                    .put("type", "invalid_request_error").put("code", "model_not_found");
            return error.toString();
        }

        private ObjectNode chunk(ObjectNode delta, String finishReason) {
            ObjectNode chunk = envelope("chat.completion.chunk");
            ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
            choice.set("delta", delta);
            choice.put("finish_reason", finishReason);
            if (request.path("stream_options").path("include_usage").asBoolean(false)) {
                chunk.putNull("usage");
            }
            return chunk;
        }

        private ObjectNode envelope(String object) {
            return JSON.createObjectNode().put("id", "chatcmpl-scripted").put("object", object)
                    .put("created", CREATED).put("model", model);
        }

        private static void usage(ObjectNode node, int promptTokens, int completionTokens) {
            node.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                    .put("total_tokens", promptTokens + completionTokens);
        }

        private static String data(JsonNode json) {
            return "data: " + json + "\n\n";
        }
    }

    private static final class OllamaWire implements Wire {

        private static final String CREATED_AT = "2025-06-15T12:00:00.000000000Z";

        private final JsonNode request;
        private final String model;

        OllamaWire(JsonNode request) {
            this.request = request;
            this.model = request.path("model").asString("");
        }

        static String tags(List<String> models) {
            ObjectNode tags = JSON.createObjectNode();
            var list = tags.putArray("models");
            for (String name : models) {
                ObjectNode model = list.addObject().put("name", name).put("model", name)
                        .put("modified_at", CREATED_AT).put("size", 4_661_224_676L)
                        .put("digest", "365c0bd3c000a25d28ddbf732fe1c6add414de7275464c4e4d1c3b5fcb5d8ad1");
                model.putObject("details").put("format", "gguf").put("family", "llama")
                        .put("parameter_size", "8.0B").put("quantization_level", "Q4_0");
            }
            return tags.toString();
        }

        static String show(String model, Integer contextLength, List<String> capabilities) {
            ObjectNode show = JSON.createObjectNode().put("modelfile", "FROM " + model).put("parameters", "")
                    .put("template", "{{ .Prompt }}");
            if (capabilities != null) {
                capabilities.forEach(show.putArray("capabilities")::add);
            }
            show.putObject("details").put("format", "gguf").put("family", "llama");
            ObjectNode info = show.putObject("model_info").put("general.architecture", "llama")
                    .put("general.parameter_count", 8_030_261_248L);
            if (contextLength != null) {
                info.put("llama.context_length", contextLength);
            }
            info.put("llama.embedding_length", 4096);
            return show.toString();
        }

        @Override
        public boolean streams() {
            return request.path("stream").asBoolean(true); // Ollama streams unless told not to
        }

        @Override
        public Integer maxTokens() {
            JsonNode max = request.path("options").path("num_predict");
            return max.isIntegralNumber() && max.intValue() >= 0 ? max.intValue() : null;
        }

        @Override
        public String contentType() {
            return "application/x-ndjson";
        }

        @Override
        public String begin() {
            return "";
        }

        @Override
        public String token(String text) {
            return line(message(text).put("done", false));
        }

        @Override
        public String malformed() {
            return "{\"model\":\"" + model + "\",\"message\":{\"role\":\"assistant\",\"content\":\"bro\n";
        }

        @Override
        public String error(String message) {
            return line(JSON.createObjectNode().put("error", message));
        }

        @Override
        public String end(String finishReason, int promptTokens, int completionTokens, boolean done) {
            return line(last(message(""), finishReason, promptTokens, completionTokens));
        }

        @Override
        public String whole(String content, String finishReason, int promptTokens, int completionTokens) {
            return last(message(content), finishReason, promptTokens, completionTokens).toString();
        }

        @Override
        public String unknownModel(String model) {
            return JSON.createObjectNode()
                    .put("error", "model \"" + model + "\" not found, try pulling it first").toString();
        }

        private ObjectNode message(String content) {
            ObjectNode line = JSON.createObjectNode().put("model", model).put("created_at", CREATED_AT);
            line.putObject("message").put("role", "assistant").put("content", content);
            return line;
        }

        private static ObjectNode last(ObjectNode line, String finishReason, int promptTokens, int completionTokens) {
            return line.put("done", true).put("done_reason", finishReason).put("total_duration", 5_000_000L)
                    .put("load_duration", 1_000_000L).put("prompt_eval_count", promptTokens)
                    .put("prompt_eval_duration", 1_000_000L).put("eval_count", completionTokens)
                    .put("eval_duration", 3_000_000L);
        }

        private static String line(JsonNode json) {
            return json + "\n";
        }
    }
}
