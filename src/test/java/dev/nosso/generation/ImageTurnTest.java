package dev.nosso.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import dev.nosso.support.SseStream;
import dev.nosso.support.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import tools.jackson.databind.JsonNode;

/**
 * Images sent to vision models, on SQLite and on PostgreSQL, checked by what the scripted upstream received:
 * an uploaded image attached to a question reaches an OpenAI-compatible model as an {@code image_url} part
 * and an Ollama model in {@code images}, re-encoded; a model Ollama says cannot see is refused before
 * anything is stored; {@code /v1} takes image parts from the official SDK.
 *
 * <p>Both connections of the environment point at the one upstream, so {@code m} is served over the OpenAI
 * protocol and {@code ollama/m} over Ollama's. Each test names its own models: an id the catalog has not seen
 * makes it list the models again, with the capabilities the test just scripted.
 */
class ImageTurnTest extends ServerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private ApiClient alice;
    private OpenAIClient openai;

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                "nosso.ollama.url", upstream.ollamaBaseUrl().toString(),
                "nosso.models.refresh-unknown-after", "0s",
                "nosso.images.max-pixels", "1000000",
                "nosso.generation.titles", "false");
    }

    @BeforeParameterizedClassInvocation
    void signIn() {
        alice = server.newUser();
        String key = alice.post("/api/v1/api-keys", Map.of("name", "sdk")).expect(201).text("/key");
        openai = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey(key).maxRetries(0)
                .timeout(WAIT).build();
    }

    @BeforeEach
    void freshUpstream() {
        upstream.reset();
    }

    @AfterParameterizedClassInvocation
    void closeClient() {
        openai.close();
    }

    @AfterAll
    void stopUpstream() {
        upstream.close();
    }

    private String uploadImage(byte[] bytes, String name) {
        return alice.upload("/api/v1/files", name, "image/png", bytes, Map.of()).expect(201).text("/id");
    }

    private JsonNode ask(String chat, String model, String text, String... fileIds) {
        var sent = alice.post("/api/v1/chats/" + chat + "/messages",
                Map.of("content", text, "model", model, "attachments", List.of(fileIds))).expect(202);
        try (SseStream stream = alice.stream(sent.text("/streamUrl"))) {
            List<SseStream.Event> events = stream.untilEnd(WAIT);
            assertThat(events.getLast().data().path("status").asString()).isEqualTo("complete");
        }
        return sent.json();
    }

    private static BufferedImage decoded(String base64) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }

    @Test
    void anUploadedImageIsStoredReEncodedAndReadyWithoutIngestion() throws IOException {
        JsonNode file = alice.upload("/api/v1/files", "photo.jpeg", "image/jpeg", TestImages.jpeg(40, 30), Map.of())
                .expect(201).json();
        assertThat(file.path("mediaType").asString()).isEqualTo("image/jpeg");
        assertThat(file.path("status").asString()).isEqualTo("ready");
        assertThat(file.path("jobId").isNull() || file.path("jobId").isMissingNode()).isTrue();
        assertThat(file.path("name").asString()).isEqualTo("photo.jpg");

        byte[] stored = alice.download("/api/v1/files/" + file.path("id").asString() + "/content").body();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(stored));
        assertThat(image.getWidth()).isEqualTo(40);
        assertThat(image.getHeight()).isEqualTo(30);
    }

    @Test
    void aMalformedOrOversizedImageIsRefusedAndNothingIsStored() {
        int before = alice.get("/api/v1/files").expect(200).json().path("items").size();
        byte[] truncated = java.util.Arrays.copyOf(TestImages.png(200, 200), 60);
        alice.upload("/api/v1/files", "cut.png", "image/png", truncated, Map.of())
                .expectProblem(400, "malformed-image");
        alice.upload("/api/v1/files", "huge.png", "image/png", TestImages.png(1200, 1000), Map.of())
                .expectProblem(413, "image-too-large");
        assertThat(alice.get("/api/v1/files").expect(200).json().path("items").size()).isEqualTo(before);
    }

    @Test
    void anOpenAiCompatibleModelReceivesTheImageAsAnImageUrlPartAfterTheText() throws IOException {
        upstream.models("seer").reply("seer", Script.tokens("A red and blue square."));
        String chat = alice.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        String image = uploadImage(TestImages.png(8, 6), "square.png");

        JsonNode sent = ask(chat, "seer", "What is in this picture?", image);

        assertThat(sent.at("/userMessage/attachments/0/id").asString()).isEqualTo(image);
        assertThat(sent.at("/userMessage/attachments/0/mediaType").asString()).isEqualTo("image/png");
        JsonNode question = upstream.lastChat().json().path("messages").get(0);
        assertThat(question.path("role").asString()).isEqualTo("user");
        JsonNode parts = question.path("content");
        assertThat(parts.size()).isEqualTo(2);
        assertThat(parts.at("/0/type").asString()).isEqualTo("text");
        assertThat(parts.at("/0/text").asString()).isEqualTo("What is in this picture?");
        assertThat(parts.at("/1/type").asString()).isEqualTo("image_url");
        String url = parts.at("/1/image_url/url").asString();
        assertThat(url).startsWith("data:image/png;base64,");
        BufferedImage seen = decoded(url.substring(url.indexOf(',') + 1));
        assertThat(seen.getWidth()).isEqualTo(8);
        assertThat(seen.getHeight()).isEqualTo(6);

        // The question keeps its image: the branch shows it, and a later turn sends it again.
        JsonNode branch = alice.get("/api/v1/chats/" + chat + "/messages").expect(200).json();
        assertThat(branch.at("/items/0/attachments/0/name").asString()).isEqualTo("square.png");
        ask(chat, "seer", "And the colours?");
        JsonNode again = upstream.lastChat().json().path("messages");
        assertThat(again.at("/0/content/1/type").asString()).isEqualTo("image_url");
        assertThat(again.at("/2/content").asString()).isEqualTo("And the colours?");
    }

    @Test
    void anOllamaVisionModelReceivesTheImageInItsImagesField() throws IOException {
        upstream.models("eye").capabilities("eye", "completion", "vision").reply("eye", Script.tokens("Squares."));
        String chat = alice.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        String image = uploadImage(TestImages.png(5, 7), "tall.png");

        ask(chat, "ollama/eye", "Describe it", image);

        var request = upstream.lastChat();
        assertThat(request.path()).isEqualTo("/api/chat");
        JsonNode question = request.json().path("messages").get(0);
        assertThat(question.path("content").asString()).isEqualTo("Describe it");
        assertThat(question.path("images").size()).isEqualTo(1);
        BufferedImage seen = decoded(question.path("images").get(0).asString());
        assertThat(seen.getWidth()).isEqualTo(5);
        assertThat(seen.getHeight()).isEqualTo(7);
    }

    @Test
    void aModelOllamaSaysCannotSeeIsRefusedBeforeAnythingIsStored() {
        upstream.models("words").capabilities("words", "completion").reply("words", Script.tokens("?"));
        String chat = alice.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        String image = uploadImage(TestImages.png(4, 4), "small.png");

        alice.post("/api/v1/chats/" + chat + "/messages",
                        Map.of("content", "See this?", "model", "ollama/words", "attachments", List.of(image)))
                .expectProblem(400, "model-cannot-see");

        assertThat(alice.get("/api/v1/chats/" + chat + "/messages").expect(200).json().path("items").size()).isZero();
        assertThat(upstream.requests("/api/chat")).isEmpty();
    }

    @Test
    void anotherUsersImageCannotBeAttached() {
        upstream.models("seer2").reply("seer2", Script.tokens("no"));
        String image = uploadImage(TestImages.png(3, 3), "mine.png");
        ApiClient bob = server.newUser();
        String chat = bob.post("/api/v1/chats", Map.of()).expect(201).text("/id");

        bob.post("/api/v1/chats/" + chat + "/messages",
                Map.of("content", "Whose?", "model", "seer2", "attachments", List.of(image)))
                .expectProblem(404, "file-not-found");
    }

    @Test
    void theOfficialSdkSendsAnImagePartThatReachesTheModel() throws IOException {
        upstream.models("sdk-seer").reply("sdk-seer", Script.tokens("A picture."));
        String dataUrl = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(TestImages.jpeg(9, 9));

        ChatCompletion completion = openai.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("sdk-seer")
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What?").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(dataUrl).build())
                                .build())))
                .build());

        assertThat(completion.choices().getFirst().message().content()).contains("A picture.");
        JsonNode parts = upstream.lastChat().json().at("/messages/0/content");
        assertThat(parts.at("/0/text").asString()).isEqualTo("What?");
        String url = parts.at("/1/image_url/url").asString();
        assertThat(url).startsWith("data:image/jpeg;base64,");
        assertThat(decoded(url.substring(url.indexOf(',') + 1)).getWidth()).isEqualTo(9);
    }

    @Test
    void theSdkGetsAClearRefusalForABrokenImageOrABlindModel() {
        upstream.models("sdk-words").capabilities("sdk-words", "completion");
        String broken = "data:image/png;base64," + Base64.getEncoder().encodeToString(
                java.util.Arrays.copyOf(TestImages.png(100, 100), 50));
        var malformed = org.assertj.core.api.Assertions.catchThrowableOfType(BadRequestException.class,
                () -> openai.chat().completions().create(withImage("sdk-words", broken)));
        assertThat(malformed.code()).contains("malformed_image");

        String fine = "data:image/png;base64," + Base64.getEncoder().encodeToString(TestImages.png(3, 3));
        var blind = org.assertj.core.api.Assertions.catchThrowableOfType(BadRequestException.class,
                () -> openai.chat().completions().create(withImage("ollama/sdk-words", fine)));
        assertThat(blind.code()).contains("model_cannot_see");
        assertThat(upstream.requests("/api/chat")).isEmpty();
    }

    private static ChatCompletionCreateParams withImage(String model, String dataUrl) {
        return ChatCompletionCreateParams.builder().model(model)
                .addUserMessageOfArrayOfContentParts(List.of(ChatCompletionContentPart.ofImageUrl(
                        ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(dataUrl).build())
                                .build())))
                .build();
    }
}
