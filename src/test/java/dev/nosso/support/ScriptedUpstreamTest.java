package dev.nosso.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The scripted upstream speaks both wire protocols as the real servers do; checked with a bare HTTP client. */
class ScriptedUpstreamTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ScriptedUpstream upstream = ScriptedUpstream.start();

    @AfterEach
    void close() {
        upstream.close();
        http.close();
    }

    @Test
    void listsTheScriptedModelsInBothProtocols() throws Exception {
        upstream.models("m1", "llama3:8b").contextLength("llama3:8b", 8192);

        JsonNode openAi = json(get("/v1/models").body());
        assertThat(openAi.path("object").asString()).isEqualTo("list");
        assertThat(openAi.path("data").valueStream().map(m -> m.path("id").asString())).containsExactly("m1", "llama3:8b");

        JsonNode tags = json(get("/api/tags").body());
        assertThat(tags.path("models").valueStream().map(m -> m.path("name").asString()))
                .containsExactly("m1", "llama3:8b");

        JsonNode show = json(post("/api/show", "{\"model\":\"llama3:8b\"}").body());
        assertThat(show.path("model_info").path("llama.context_length").asInt()).isEqualTo(8192);
        assertThat(post("/api/show", "{\"model\":\"other\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void streamsServerSentEventsWithUsageAndDone() throws Exception {
        upstream.reply("m1", Script.tokens("Hello", " world"));

        String body = post("/v1/chat/completions", """
                {"model":"m1","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"say hi"}]}""").body();

        List<JsonNode> chunks = body.lines().filter(l -> l.startsWith("data: {")).map(l -> json(l.substring(6))).toList();
        assertThat(chunks).extracting(c -> c.path("choices").path(0).path("delta").path("content").asString(""))
                .containsExactly("", "Hello", " world", "", "");
        assertThat(chunks.get(3).path("choices").path(0).path("finish_reason").asString()).isEqualTo("stop");
        assertThat(chunks.get(4).path("usage").path("prompt_tokens").asInt()).isEqualTo(2);
        assertThat(chunks.get(4).path("usage").path("completion_tokens").asInt()).isEqualTo(2);
        assertThat(body).endsWith("data: [DONE]\n\n");
    }

    @Test
    void answersAWholeCompletionWhenNotStreaming() throws Exception {
        JsonNode completion = json(post("/v1/chat/completions", """
                {"model":"m1","messages":[{"role":"user","content":"echo me back"}]}""").body());

        assertThat(completion.path("choices").path(0).path("message").path("content").asString())
                .isEqualTo("echo me back");
        assertThat(completion.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void streamsNdjsonForOllamaAndCutsAtNumPredict() throws Exception {
        upstream.reply("llama3:8b", Script.tokens("a", "b", "c"));

        String body = post("/api/chat", """
                {"model":"llama3:8b","messages":[{"role":"user","content":"x"}],"options":{"num_predict":2}}""").body();

        List<JsonNode> lines = body.lines().map(ScriptedUpstreamTest::json).toList();
        assertThat(lines).extracting(l -> l.path("message").path("content").asString()).containsExactly("a", "b", "");
        JsonNode last = lines.getLast();
        assertThat(last.path("done").asBoolean()).isTrue();
        assertThat(last.path("done_reason").asString()).isEqualTo("length");
        assertThat(last.path("eval_count").asInt()).isEqualTo(2);
    }

    @Test
    void recordsWhatWasSent() throws Exception {
        http.send(HttpRequest.newBuilder(uri("/v1/chat/completions")).header("Authorization", "Bearer sk-test")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m9\",\"temperature\":0.2}")).build(),
                HttpResponse.BodyHandlers.discarding());

        RecordedRequest sent = upstream.lastChat();
        assertThat(sent.bearerToken()).isEqualTo("sk-test");
        assertThat(sent.model()).isEqualTo("m9");
        assertThat(sent.json().path("temperature").asDouble()).isEqualTo(0.2);
    }

    @Test
    void aDisconnectCutsTheBodyWithoutAnEnd() throws Exception {
        upstream.reply("m1", Script.tokens("a", "b", "c").disconnectAfter(2));

        HttpResponse<InputStream> response = http.send(chat("/api/chat", "m1"), HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(IOException.class);
    }

    @Test
    void aGateHoldsTheStreamUntilReleased() throws Exception {
        var gate = new Script.Gate();
        upstream.reply("m1", Script.tokens("a", "b").holdAfter(1, gate));

        HttpResponse<InputStream> response = http.send(chat("/api/chat", "m1"), HttpResponse.BodyHandlers.ofInputStream());
        gate.awaitReached(Duration.ofSeconds(5));
        gate.release();

        String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(body.lines()).hasSize(3);
    }

    @Test
    void aClientThatHangsUpMidStreamIsNoticedAtTheNextToken() throws Exception {
        upstream.reply("m1", Script.repeat("tok ", 10_000).delay(Duration.ofMillis(10)));

        HttpResponse<InputStream> response = http.send(chat("/v1/chat/completions", "m1"),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.body().readNBytes(100)).hasSize(100);
        assertThat(upstream.hungUp()).isEmpty();
        response.body().close();

        Eventually.within(Duration.ofSeconds(5)).until(() -> upstream.hungUp().size() == 1);
        assertThat(upstream.hungUp().getFirst().model()).isEqualTo("m1");
    }

    @Test
    void anUnlistedModelIsNotFound() throws Exception {
        upstream.models("m1");

        assertThat(http.send(chat("/api/chat", "m2"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(http.send(chat("/api/chat", "m1"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    private HttpRequest chat(String path, String model) {
        return HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(
                "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(upstream.baseUrl() + path);
    }

    private static JsonNode json(String text) {
        return ScriptedUpstream.JSON.readTree(text);
    }
}
