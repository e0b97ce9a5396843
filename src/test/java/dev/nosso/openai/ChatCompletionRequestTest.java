package dev.nosso.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nosso.knowledge.ImageSettings;
import dev.nosso.knowledge.Images;
import dev.nosso.provider.CompletionRequest;
import dev.nosso.provider.PromptMessage;
import dev.nosso.support.TestImages;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** How an OpenAI request body becomes a provider request, and which bodies are refused with which field. */
class ChatCompletionRequestTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Images IMAGES = new Images(new ImageSettings(10_485_760, 16_777_216, 10));

    private static ChatCompletionRequest parse(String json) {
        return JSON.readValue(json, ChatCompletionRequest.class);
    }

    private static OpenAiError refusal(String json) {
        return catchThrowableOfType(OpenAiError.class, () -> parse(json).toCompletionRequest(IMAGES));
    }

    @Test
    void rolesContentPartsAndLimitsBecomeTheProviderRequest() {
        CompletionRequest request = parse("""
                {"model": " m1 ", "temperature": 0.5, "max_tokens": 100, "max_completion_tokens": 40,
                 "tools": [{"type": "function"}], "seed": 1,
                 "messages": [{"role": "developer", "content": "Be brief."},
                              {"role": "user", "content": [{"type": "text", "text": "Hello"},
                                                           {"type": "text", "text": "there"}]},
                              {"role": "assistant", "content": null, "tool_calls": []},
                              {"role": "user", "content": "Again", "name": "alice"}]}
                """).toCompletionRequest(IMAGES);

        assertThat(request.model()).isEqualTo("m1");
        assertThat(request.temperature()).isEqualTo(0.5);
        assertThat(request.maxTokens()).as("max_completion_tokens wins").isEqualTo(40);
        assertThat(request.messages()).containsExactly(new PromptMessage("system", "Be brief."),
                new PromptMessage("user", "Hello\nthere"), new PromptMessage("assistant", ""),
                new PromptMessage("user", "Again"));
    }

    @Test
    void streamStoreAndUsageAreOffUnlessAsked() {
        ChatCompletionRequest plain = parse("{\"model\": \"m\", \"messages\": []}");
        assertThat(plain.streams()).isFalse();
        assertThat(plain.stored()).isFalse();
        assertThat(plain.includeUsage()).isFalse();

        ChatCompletionRequest all = parse("""
                {"model": "m", "stream": true, "store": true, "stream_options": {"include_usage": true}}""");
        assertThat(all.streams()).isTrue();
        assertThat(all.stored()).isTrue();
        assertThat(all.includeUsage()).isTrue();
    }

    @Test
    void eachRefusalNamesTheFieldAtFault() {
        String hi = "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]";
        assertThat(refusal("{" + hi + "}").body().error().param()).isEqualTo("model");
        assertThat(refusal("{\"model\": \"m\"}").body().error().param()).isEqualTo("messages");
        assertThat(refusal("{\"model\": \"m\", \"n\": 2, " + hi + "}").body().error().param()).isEqualTo("n");
        assertThat(refusal("{\"model\": \"m\", \"temperature\": -1, " + hi + "}").body().error().param())
                .isEqualTo("temperature");
        assertThat(refusal("{\"model\": \"m\", \"max_tokens\": 0, " + hi + "}").body().error().param())
                .isEqualTo("max_tokens");
        assertThat(refusal("""
                {"model": "m", "messages": [{"role": "user", "content": "a"}, {"role": "tool", "content": "b"}]}
                """).body().error().param()).isEqualTo("messages[1].role");
        assertThat(refusal("{\"model\": \"m\", \"messages\": [{\"role\": \"user\"}]}").body().error().param())
                .isEqualTo("messages[0].content");
        assertThat(refusal("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": 7}]}")
                .body().error().code()).isEqualTo("invalid_type");

        OpenAiError image = refusal("""
                {"model": "m", "messages": [{"role": "user", "content": [{"type": "image_url",
                 "image_url": {"url": "https://example.org/a.png"}}]}]}""");
        assertThat(image.status().value()).isEqualTo(400);
        assertThat(image.body().error().code()).isEqualTo("invalid_image_url");
        assertThat(image.getMessage()).contains("data URL").contains("does not fetch");

        OpenAiError audio = refusal("""
                {"model": "m", "messages": [{"role": "user", "content": [{"type": "input_audio",
                 "input_audio": {"data": "AAAA", "format": "wav"}}]}]}""");
        assertThat(audio.body().error().code()).isEqualTo("unsupported_value");
    }

    @Test
    void anImagePartIsDecodedEncodedAgainAndKeptBesideTheText() throws Exception {
        String png = Base64.getEncoder().encodeToString(TestImages.png(4, 3));
        CompletionRequest request = parse("""
                {"model": "m", "messages": [{"role": "user", "content": [{"type": "text", "text": "What is this?"},
                 {"type": "image_url", "image_url": {"url": "data:image/png;base64,%s", "detail": "low"}}]}]}
                """.formatted(png)).toCompletionRequest(IMAGES);

        PromptMessage question = request.messages().getFirst();
        assertThat(question.content()).isEqualTo("What is this?");
        assertThat(question.images()).hasSize(1);
        assertThat(question.images().getFirst().mediaType()).isEqualTo("image/png");
        var decoded = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(question.images().getFirst().base64())));
        assertThat(decoded.getWidth()).isEqualTo(4);
        assertThat(decoded.getHeight()).isEqualTo(3);
    }

    @Test
    void aMalformedImageOrAnImageFromTheAssistantIsRefusedNamingTheMessage() {
        byte[] truncated = java.util.Arrays.copyOf(TestImages.png(50, 50), 40);
        OpenAiError malformed = refusal("""
                {"model": "m", "messages": [{"role": "user", "content": [
                 {"type": "image_url", "image_url": {"url": "data:image/png;base64,%s"}}]}]}"""
                .formatted(Base64.getEncoder().encodeToString(truncated)));
        assertThat(malformed.status().value()).isEqualTo(400);
        assertThat(malformed.body().error().code()).isEqualTo("malformed_image");
        assertThat(malformed.body().error().param()).isEqualTo("messages[0].content");

        OpenAiError notBase64 = refusal("""
                {"model": "m", "messages": [{"role": "user", "content": [
                 {"type": "image_url", "image_url": {"url": "data:image/png;base64,***"}}]}]}""");
        assertThat(notBase64.body().error().code()).isEqualTo("malformed_image"); // no bytes at all

        String png = Base64.getEncoder().encodeToString(TestImages.png(2, 2));
        OpenAiError fromAssistant = refusal("""
                {"model": "m", "messages": [{"role": "assistant", "content": [
                 {"type": "image_url", "image_url": {"url": "data:image/png;base64,%s"}}]}]}""".formatted(png));
        assertThat(fromAssistant.body().error().param()).isEqualTo("messages[0].content");
    }
}
