package dev.nosso.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import tools.jackson.databind.JsonNode;

/**
 * Input a hostile or careless client sends, on both databases: text that is not text (a lone surrogate), a
 * number where text belongs, a file name of hundreds of characters. Each is either stored exactly as sent or
 * refused with a problem that names the field; nothing is stored silently altered.
 */
class HostileInputTest extends ServerTest {

    private static final String LONE_SURROGATE = "before \\ud800 after"; // as JSON escapes it
    private static final byte[] THIRTY_BYTES = "thirty bytes of plain text ok\n".getBytes(StandardCharsets.UTF_8);

    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private ApiClient alice;
    private ApiClient aliceKey;

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                "nosso.generation.titles", "false");
    }

    @BeforeParameterizedClassInvocation
    void signIn() {
        upstream.models("m1");
        alice = server.newUser();
        aliceKey = server.anonymous().withBearer(alice.post("/api/v1/api-keys", Map.of("name", "sdk")).expect(201)
                .text("/key"));
    }

    @AfterAll
    void stopUpstream() {
        upstream.close();
    }

    private String newChat() {
        return alice.post("/api/v1/chats", Map.of()).expect(201).text("/id");
    }

    private int messagesIn(String chat) {
        return alice.get("/api/v1/chats/" + chat + "/messages").expect(200).at("/items").size();
    }

    @Test
    void aLoneSurrogateIsRefusedNamingTheFieldAndNothingIsStored() {
        String chat = newChat();

        Response message = alice.post("/api/v1/chats/" + chat + "/messages",
                "{\"content\": \"" + LONE_SURROGATE + "\"}").expectProblem(400, "invalid-text");
        Response title = alice.patch("/api/v1/chats/" + chat, "{\"title\": \"\\udc00\"}").expectProblem(400, "invalid-text");

        assertThat(message.text("/field")).isEqualTo("content");
        assertThat(message.text("/detail")).contains("content").contains("lone surrogate");
        assertThat(title.text("/field")).isEqualTo("title");
        assertThat(messagesIn(chat)).isZero();
        assertThat(alice.get("/api/v1/chats/" + chat).expect(200).text("/title")).doesNotContain("?");
        // A pair is a character like any other, and is stored as sent.
        String emoji = alice.post("/api/v1/chats/" + chat + "/messages", "{\"content\": \"ok \\ud83d\\ude00\"}")
                .expect(201).text("/content");
        assertThat(emoji).isEqualTo("ok 😀");
    }

    @Test
    void aNumberWhereTextBelongsIsRefusedNamingTheField() {
        String chat = newChat();

        Response message = alice.post("/api/v1/chats/" + chat + "/messages", "{\"content\": 12}")
                .expectProblem(400, "validation");
        alice.patch("/api/v1/chats/" + chat, "{\"title\": true}").expectProblem(400, "validation");
        alice.post("/api/v1/chats", "{\"title\": 1.5}").expectProblem(400, "validation");

        assertThat(message.at("/errors/0/field").asString()).isEqualTo("content");
        assertThat(message.text("/detail")).isEqualTo("content: must be a string.");
        assertThat(messagesIn(chat)).isZero();
    }

    @Test
    void theOpenAiApiRefusesTheSameInOpenAisShapeAndStillTakesContentParts() {
        Response number = aliceKey.post("/v1/chat/completions",
                "{\"model\": 12, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}").expect(400);
        assertThat(number.text("/error/param")).isEqualTo("model");
        assertThat(number.text("/error/code")).isEqualTo("invalid_type");
        Response surrogate = aliceKey.post("/v1/chat/completions",
                "{\"model\": \"m1\", \"messages\": [{\"role\": \"user\", \"content\": \"" + LONE_SURROGATE + "\"}]}")
                .expect(400);
        assertThat(surrogate.text("/error/param")).isEqualTo("messages[0].content");
        assertThat(surrogate.text("/error/code")).isEqualTo("invalid_value");
        assertThat(surrogate.text("/error/type")).isEqualTo("invalid_request_error");

        JsonNode parts = aliceKey.post("/v1/chat/completions", Map.of("model", "m1", "messages", List.of(Map.of(
                "role", "user", "content", List.of(Map.of("type", "text", "text", "echo these words"))))))
                .expect(200).json();
        assertThat(parts.at("/choices/0/message/content").asString()).isEqualTo("echo these words");
    }

    @Test
    void aFileWithAVeryLongNameIsKeptUnderItsNameShortenedWithItsExtension() {
        String name = "relatório-".repeat(50) + ".txt"; // 504 characters, 554 bytes of UTF-8

        Response uploaded = alice.upload("/api/v1/files", name, "text/plain", THIRTY_BYTES, Map.of()).expect(201);

        String kept = uploaded.text("/name");
        assertThat(kept.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(kept).startsWith("relatório-relatório-").endsWith(".txt");
        assertThat(uploaded.text("/mediaType")).isEqualTo("text/plain");
        assertThat(uploaded.at("/size").asInt()).isEqualTo(THIRTY_BYTES.length);
    }

    @Test
    void aNameLongerThanAnyFileSystemAllowsIsA400ThatSaysSoNotA413() {
        Response refused = alice.upload("/api/v1/files", "n".repeat(9000) + ".txt", "text/plain", THIRTY_BYTES,
                Map.of()).expectProblem(400, "file-name-too-long");

        assertThat(refused.text("/detail")).contains("8192 bytes");
    }
}
