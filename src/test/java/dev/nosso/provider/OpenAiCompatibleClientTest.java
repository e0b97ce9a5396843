package dev.nosso.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nosso.provider.ProviderClient.UpstreamModel;
import dev.nosso.support.RecordedRequest;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The OpenAI-compatible side: what is listed and what is sent. Faults are in {@link StreamingTest}. */
class OpenAiCompatibleClientTest {

    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private final OpenAiCompatibleClient client = new OpenAiCompatibleClient(StreamingTest.FAST);

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void listsTheModelsWithTheContextLengthWhenTheServerGivesIt() {
        upstream.models("gpt-4o-mini", "qwen2.5-7b").contextLength("qwen2.5-7b", 32768);

        assertThat(client.models(new Endpoint(upstream.openAiBaseUrl(), "sk-test"))).containsExactly(
                new UpstreamModel("gpt-4o-mini", null), new UpstreamModel("qwen2.5-7b", 32768));
        assertThat(upstream.requests("/v1/models").getFirst().bearerToken()).isEqualTo("sk-test");
    }

    @Test
    void aBaseUrlWithATrailingSlashWorksTheSame() {
        upstream.models("m1");

        var endpoint = new Endpoint(URI.create(upstream.openAiBaseUrl() + "/"), null);

        assertThat(client.models(endpoint)).extracting(UpstreamModel::id).containsExactly("m1");
        assertThat(upstream.requests()).extracting(RecordedRequest::path).containsExactly("/v1/models");
    }

    @Test
    void aSlowListingFailsAtTheListingTimeout() {
        upstream.slow("/v1/models", Duration.ofSeconds(10));

        long started = System.nanoTime();
        assertThatThrownBy(() -> client.models(new Endpoint(upstream.openAiBaseUrl(), null)))
                .isInstanceOf(ProviderFailure.class).hasMessageContaining("did not answer within 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aListingErrorNamesTheStatus() {
        upstream.fail("/v1/models", 401, "{\"error\":{\"message\":\"Invalid API key\"}}");

        assertThatThrownBy(() -> client.models(new Endpoint(upstream.openAiBaseUrl(), "sk-wrong")))
                .isInstanceOf(ProviderFailure.class).hasMessage("The provider answered 401: Invalid API key");
    }

    @Test
    void sendsTheModelMessagesSettingsAndKey() {
        var request = new CompletionRequest("m1", List.of(new PromptMessage("system", "Be brief."),
                new PromptMessage("user", "Hi there")), 0.3, 256);

        client.stream(new Endpoint(upstream.openAiBaseUrl(), "sk-test"), request, text -> { }, new Cancellation());

        RecordedRequest sent = upstream.lastChat();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.bearerToken()).isEqualTo("sk-test");
        JsonNode body = sent.json();
        assertThat(body.path("model").asString()).isEqualTo("m1");
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(body.path("messages").valueStream().map(m -> m.path("role").asString() + ":" + m.path("content").asString()))
                .containsExactly("system:Be brief.", "user:Hi there");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(256);
    }

    @Test
    void sendsNoKeyAndNoSettingsWhenThereAreNone() {
        client.stream(new Endpoint(upstream.openAiBaseUrl(), null), StreamingTest.request("m1", "hi"), text -> { },
                new Cancellation());

        RecordedRequest sent = upstream.lastChat();
        assertThat(sent.header("Authorization")).isNull();
        assertThat(sent.json().has("temperature")).isFalse();
        assertThat(sent.json().has("max_tokens")).isFalse();
    }

    @Test
    void anAnswerWithAFinishReasonButNoDoneIsWhole() {
        upstream.reply("m1", Script.tokens("a", "b").withoutDone());

        Completion completion = client.stream(new Endpoint(upstream.openAiBaseUrl(), null),
                StreamingTest.request("m1", "hi"), text -> { }, new Cancellation());

        assertThat(completion).isEqualTo(new Completion(1, 2, "stop"));
    }
}
