package dev.nosso.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nosso.provider.ProviderClient.UpstreamModel;
import dev.nosso.support.RecordedRequest;
import dev.nosso.support.ScriptedUpstream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Ollama's side: what is listed and what is sent. Faults are in {@link StreamingTest}. */
class OllamaClientTest {

    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private final OllamaClient client = new OllamaClient(StreamingTest.FAST);

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void listsTheModelsWithTheirContextLengthFromShow() {
        upstream.models("llama3:8b", "qwen2.5:7b", "phi3:mini").contextLength("llama3:8b", 8192)
                .contextLength("qwen2.5:7b", 32768);

        assertThat(client.models(endpoint())).containsExactly(new UpstreamModel("llama3:8b", 8192),
                new UpstreamModel("qwen2.5:7b", 32768), new UpstreamModel("phi3:mini", null));
        assertThat(upstream.requests("/api/show")).extracting(r -> r.json().path("model").asString())
                .containsExactlyInAnyOrder("llama3:8b", "qwen2.5:7b", "phi3:mini");
    }

    @Test
    void aFailingShowLeavesTheModelListedWithoutALength() {
        upstream.models("llama3:8b").contextLength("llama3:8b", 8192)
                .fail("/api/show", 500, "{\"error\":\"failed to read model\"}");

        assertThat(client.models(endpoint())).containsExactly(new UpstreamModel("llama3:8b", null));
    }

    @Test
    void aSlowShowDoesNotHoldTheListingPastItsTimeout() {
        upstream.models("a", "b", "c", "d", "e", "f").slow("/api/show", Duration.ofSeconds(10));

        long started = System.nanoTime();
        List<UpstreamModel> models = client.models(endpoint());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
        assertThat(models).extracting(UpstreamModel::id).containsExactly("a", "b", "c", "d", "e", "f");
        assertThat(models).extracting(UpstreamModel::contextLength).containsOnlyNulls();
    }

    @Test
    void aFailingTagListNamesTheStatus() {
        upstream.fail("/api/tags", 500, "{\"error\":\"disk full\"}");

        assertThatThrownBy(() -> client.models(endpoint())).isInstanceOf(ProviderFailure.class)
                .hasMessage("The provider answered 500: disk full");
    }

    @Test
    void sendsTheModelMessagesAndOptions() {
        var request = new CompletionRequest("llama3:8b", List.of(new PromptMessage("system", "Be brief."),
                new PromptMessage("user", "Hi there")), 0.7, 128);

        client.stream(endpoint(), request, text -> { }, new Cancellation());

        RecordedRequest sent = upstream.lastChat();
        assertThat(sent.path()).isEqualTo("/api/chat");
        assertThat(sent.header("Authorization")).isNull();
        JsonNode body = sent.json();
        assertThat(body.path("model").asString()).isEqualTo("llama3:8b");
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("messages").valueStream().map(m -> m.path("role").asString() + ":" + m.path("content").asString()))
                .containsExactly("system:Be brief.", "user:Hi there");
        assertThat(body.path("options").path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(body.path("options").path("num_predict").asInt()).isEqualTo(128);
    }

    @Test
    void sendsNoOptionsWhenThereAreNoneAndTheKeyWhenThereIsOne() {
        client.stream(new Endpoint(upstream.ollamaBaseUrl(), "proxy-key"), StreamingTest.request("llama3:8b", "hi"),
                text -> { }, new Cancellation());

        RecordedRequest sent = upstream.lastChat();
        assertThat(sent.json().has("options")).isFalse();
        assertThat(sent.bearerToken()).isEqualTo("proxy-key");
    }

    private Endpoint endpoint() {
        return new Endpoint(upstream.ollamaBaseUrl(), null);
    }
}
