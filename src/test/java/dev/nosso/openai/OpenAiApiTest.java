package dev.nosso.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.SseException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.Eventually;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import dev.nosso.support.SseStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAI-compatible API driven by OpenAI's own Java SDK, as outside tools use it, against a scripted
 * upstream, on SQLite and on PostgreSQL; plus the raw error shape over plain HTTP. The SDK's
 * {@code validate()} checks that every answer has the fields and types OpenAI's clients require.
 */
class OpenAiApiTest extends ServerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    // Started with the instance, before the server, whose settings point at it.
    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private ApiClient alice;
    private String key;
    private OpenAIClient openai;

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                "nosso.generation.titles", "false");
    }

    @BeforeParameterizedClassInvocation
    void signIn() {
        alice = server.newUser();
        key = alice.post("/api/v1/api-keys", Map.of("name", "openai sdk")).expect(201).text("/key");
        openai = sdk(key);
    }

    @AfterParameterizedClassInvocation
    void closeClient() {
        openai.close();
    }

    @BeforeEach
    void freshUpstream() {
        upstream.reset();
        upstream.models("m1", "m2");
    }

    @AfterAll
    void stopUpstream() {
        upstream.close();
    }

    // No retries: the SDK would otherwise send a failed request three times.
    private OpenAIClient sdk(String apiKey) {
        return OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey(apiKey).maxRetries(0)
                .timeout(WAIT).build();
    }

    private static ChatCompletionCreateParams.Builder ask(String model, String question) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(question);
    }

    private int chatCount() {
        return alice.get("/api/v1/chats?limit=200").expect(200).json().path("items").size();
    }

    @Test
    void theModelListNamesEveryModelWithItsConnection() {
        List<Model> models = openai.models().list().data();

        assertThat(models).extracting(Model::id).contains("m1", "m2");
        Model m1 = models.stream().filter(m -> m.id().equals("m1")).findFirst().orElseThrow();
        m1.validate();
        assertThat(m1.ownedBy()).isEqualTo("openai");
        assertThat(m1.created()).isPositive();

        Model one = openai.models().retrieve("m2");
        one.validate();
        assertThat(one.id()).isEqualTo("m2");
        assertThatThrownBy(() -> openai.models().retrieve("no-such-model")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aCompletionAnswersWithTheTextAndItsUsage() {
        upstream.reply("m1", Script.tokens("Hello", " there", "!").usage(12, 3));
        int chats = chatCount();

        ChatCompletion completion = openai.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("m1").addSystemMessage("Be brief.").addUserMessage("Greet me").temperature(0.3)
                .maxCompletionTokens(50).build());

        completion.validate();
        assertThat(completion.id()).startsWith("chatcmpl-");
        assertThat(completion.model()).isEqualTo("m1");
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().getFirst().message().content()).contains("Hello there!");
        assertThat(completion.choices().getFirst().finishReason())
                .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        var usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(12);
        assertThat(usage.completionTokens()).isEqualTo(3);
        assertThat(usage.totalTokens()).isEqualTo(15);

        JsonNode sent = upstream.lastChat().json();
        assertThat(sent.path("model").asString()).isEqualTo("m1");
        assertThat(sent.at("/messages/0/role").asString()).isEqualTo("system");
        assertThat(sent.at("/messages/0/content").asString()).isEqualTo("Be brief.");
        assertThat(sent.at("/messages/1/role").asString()).isEqualTo("user");
        assertThat(sent.at("/messages/1/content").asString()).isEqualTo("Greet me");
        assertThat(sent.path("messages").size()).isEqualTo(2);
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(50);
        assertThat(upstream.lastChat().bearerToken()).isNotEqualTo(key); // the user's key never goes upstream

        assertThat(chatCount()).as("stateless by default: no chat kept").isEqualTo(chats);
    }

    @Test
    void aMaxTokensShorterThanTheAnswerEndsItWithLength() {
        upstream.reply("m1", Script.tokens("a", "b", "c", "d"));

        ChatCompletion completion = openai.chat().completions().create(ask("m1", "Go").maxTokens(2).build());

        assertThat(completion.choices().getFirst().message().content()).contains("ab");
        assertThat(completion.choices().getFirst().finishReason())
                .isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(upstream.lastChat().json().path("max_tokens").asInt()).isEqualTo(2);
    }

    @Test
    void aStreamedCompletionSendsEachPieceThenTheUsage() {
        List<String> tokens = List.of("One", " two", " three", " four");
        upstream.reply("m1", Script.tokens(tokens.toArray(String[]::new)).delay(Duration.ofMillis(5)).usage(7, 4));

        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(
                ask("m1", "Count").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .build())) {
            chunks = stream.stream().toList();
        }

        chunks.forEach(ChatCompletionChunk::validate);
        assertThat(chunks).extracting(ChatCompletionChunk::id).containsOnly(chunks.getFirst().id());
        assertThat(chunks.getFirst().id()).startsWith("chatcmpl-");
        assertThat(chunks.getFirst().choices().getFirst().delta().role())
                .contains(ChatCompletionChunk.Choice.Delta.Role.ASSISTANT);
        StringBuilder text = new StringBuilder();
        List<String> pieces = new ArrayList<>();
        for (ChatCompletionChunk chunk : chunks) {
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                choice.delta().content().filter(c -> !c.isEmpty()).ifPresent(c -> {
                    text.append(c);
                    pieces.add(c);
                });
            }
        }
        assertThat(text.toString()).isEqualTo(String.join("", tokens));
        assertThat(pieces).as("one chunk per piece, as it came").isEqualTo(tokens);

        ChatCompletionChunk finish = chunks.get(chunks.size() - 2);
        assertThat(finish.choices().getFirst().finishReason())
                .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
        ChatCompletionChunk last = chunks.getLast();
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(7);
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(4);
        assertThat(last.usage().orElseThrow().totalTokens()).isEqualTo(11);
        assertThat(upstream.lastChat().json().path("model").asString()).isEqualTo("m1");
    }

    @Test
    void withoutIncludeUsageTheStreamCarriesNoUsage() {
        upstream.reply("m1", Script.tokens("x", "y"));

        try (StreamResponse<ChatCompletionChunk> stream =
                     openai.chat().completions().createStreaming(ask("m1", "Go").build())) {
            List<ChatCompletionChunk> chunks = stream.stream().toList();
            assertThat(chunks).allSatisfy(c -> assertThat(c.usage()).isEmpty());
            assertThat(chunks.getLast().choices().getFirst().finishReason()).isPresent();
        }
    }

    @Test
    void aWrongKeyIsUnauthorized() {
        OpenAIClient stranger = sdk("nsk_" + "x".repeat(43));
        try {
            UnauthorizedException e = catchThrowableOfType(UnauthorizedException.class,
                    () -> stranger.chat().completions().create(ask("m1", "Hi").build()));
            assertThat(e.statusCode()).isEqualTo(401);
            assertThat(e.code()).contains("invalid_api_key");
            assertThatThrownBy(() -> stranger.models().list()).isInstanceOf(UnauthorizedException.class);
        } finally {
            stranger.close();
        }
        assertThat(upstream.requests("/v1/chat/completions")).isEmpty();
    }

    @Test
    void aRevokedKeyIsUnauthorized() {
        Response made = alice.post("/api/v1/api-keys", Map.of("name", "short-lived")).expect(201);
        OpenAIClient client = sdk(made.text("/key"));
        try {
            assertThat(client.models().list().data()).isNotEmpty();
            alice.delete("/api/v1/api-keys/" + made.text("/id")).expect(204);
            assertThatThrownBy(() -> client.models().list()).isInstanceOf(UnauthorizedException.class);
        } finally {
            client.close();
        }
    }

    @Test
    void anUnknownModelIsNotFound() {
        NotFoundException e = catchThrowableOfType(NotFoundException.class,
                () -> openai.chat().completions().create(ask("no-such-model", "Hi").build()));

        assertThat(e.code()).contains("model_not_found");
        assertThat(e.getMessage()).contains("no-such-model");
        assertThat(upstream.requests("/v1/chat/completions")).isEmpty();
    }

    @Test
    void anUpstreamFaultBecomesAnErrorWithTheProvidersReason() {
        upstream.reply("m1", Script.httpError(503, "{\"error\":{\"message\":\"model is loading\"}}"));

        InternalServerException whole = catchThrowableOfType(InternalServerException.class,
                () -> openai.chat().completions().create(ask("m1", "Hi").build()));
        assertThat(whole.statusCode()).isEqualTo(502);
        assertThat(whole.type()).contains("api_error");
        assertThat(whole.code()).contains("upstream_error");
        assertThat(whole.getMessage()).contains("model is loading");

        // Before any text, a stream fails the same way: a plain error with its status.
        InternalServerException streamed = catchThrowableOfType(InternalServerException.class, () -> {
            try (var stream = openai.chat().completions().createStreaming(ask("m1", "Hi").build())) {
                stream.stream().forEach(chunk -> { });
            }
        });
        assertThat(streamed.statusCode()).isEqualTo(502);
        assertThat(streamed.getMessage()).contains("model is loading");
    }

    @Test
    void aFaultMidStreamIsReportedInTheStream() {
        upstream.reply("m1", Script.tokens("Once", " upon", " a time").errorAfter(2, "the GPU fell over"));
        StringBuilder text = new StringBuilder();

        SseException e = catchThrowableOfType(SseException.class, () -> {
            try (var stream = openai.chat().completions().createStreaming(ask("m1", "Tell me").build())) {
                stream.stream().forEach(chunk -> chunk.choices()
                        .forEach(choice -> choice.delta().content().ifPresent(text::append)));
            }
        });

        assertThat(text.toString()).isEqualTo("Once upon");
        assertThat(e.type()).contains("api_error");
        assertThat(e.code()).contains("upstream_error");
        assertThat(e.body().toString()).contains("the GPU fell over");
    }

    @Test
    void storeKeepsTheExchangeAsAChatOfTheKeysOwner() {
        upstream.reply("m1", Script.tokens("Lisbon", " it is.").usage(20, 3));
        int chats = chatCount();

        HttpResponseFor<ChatCompletion> response = openai.chat().completions().withRawResponse().create(
                ChatCompletionCreateParams.builder().model("m1").store(true)
                        .addSystemMessage("You plan trips.")
                        .addUserMessage("Where should we go?")
                        .addAssistantMessage("Porto or Lisbon?")
                        .addUserMessage("Pick one for us.").build());
        ChatCompletion completion = response.parse();
        String chatId = response.headers().values("X-Nosso-Chat-Id").getFirst();

        assertThat(completion.choices().getFirst().message().content()).contains("Lisbon it is.");
        assertThat(chatCount()).isEqualTo(chats + 1);
        JsonNode chat = alice.get("/api/v1/chats/" + chatId).expect(200).json();
        assertThat(chat.path("title").asString()).isEqualTo("Where should we go?");
        assertThat(chat.path("model").asString()).isEqualTo("m1");
        JsonNode items = alice.get("/api/v1/chats/" + chatId + "/messages").expect(200).json().path("items");
        assertThat(items.size()).isEqualTo(5);
        List<String> roles = new ArrayList<>();
        List<String> contents = new ArrayList<>();
        items.forEach(m -> {
            roles.add(m.path("role").asString());
            contents.add(m.path("content").asString());
        });
        assertThat(roles).containsExactly("system", "user", "assistant", "user", "assistant");
        assertThat(contents).containsExactly("You plan trips.", "Where should we go?", "Porto or Lisbon?",
                "Pick one for us.", "Lisbon it is.");
        JsonNode answer = items.get(4);
        assertThat(answer.path("status").asString()).isEqualTo("complete");
        assertThat(answer.path("model").asString()).isEqualTo("m1");
        assertThat(answer.at("/usage/promptTokens").asInt()).isEqualTo(20);
        assertThat(answer.at("/usage/completionTokens").asInt()).isEqualTo(3);

        // Nobody else sees it.
        server.newUser().get("/api/v1/chats/" + chatId).expectProblem(404, "chat-not-found");
    }

    @Test
    void aStoredStreamKeepsItsAnswerAndAStoredFailureKeepsItsReason() {
        upstream.reply("m1", Script.tokens("Streamed", " and", " kept"));
        HttpResponseFor<StreamResponse<ChatCompletionChunk>> response = openai.chat().completions()
                .withRawResponse().createStreaming(ask("m1", "Keep this").store(true).build());
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = response.parse()) {
            stream.stream().forEach(chunk -> chunk.choices()
                    .forEach(choice -> choice.delta().content().ifPresent(text::append)));
        }
        String chatId = response.headers().values("X-Nosso-Chat-Id").getFirst();
        assertThat(text.toString()).isEqualTo("Streamed and kept");
        JsonNode answer = alice.get("/api/v1/chats/" + chatId + "/messages").expect(200).json().at("/items/1");
        assertThat(answer.path("content").asString()).isEqualTo("Streamed and kept");
        assertThat(answer.path("status").asString()).isEqualTo("complete");

        upstream.reply("m1", Script.httpError(503, "{\"error\":{\"message\":\"model is loading\"}}"));
        InternalServerException failed = catchThrowableOfType(InternalServerException.class,
                () -> openai.chat().completions().create(ask("m1", "Try again").store(true).build()));
        String failedChat = failed.headers().values("X-Nosso-Chat-Id").getFirst();
        JsonNode error = alice.get("/api/v1/chats/" + failedChat + "/messages").expect(200).json().at("/items/1");
        assertThat(error.path("status").asString()).isEqualTo("error");
        assertThat(error.path("error").asString()).contains("model is loading");
    }

    @Test
    void aStoredCompletionIsATurnThatTheChatApiFollowsLive() {
        Script.Gate gate = new Script.Gate();
        upstream.reply("m1", Script.tokens("Followed", " from", " both", " sides").holdAfter(1, gate));
        try (SseStream completion = server.anonymous().withBearer(key).streamPost("/v1/chat/completions",
                Map.of("model", "m1", "stream", true, "store", true,
                        "messages", List.of(Map.of("role", "user", "content", "Follow me from the chat API"))))) {
            gate.awaitReached(WAIT);
            String chatId = null;
            for (JsonNode chat : alice.get("/api/v1/chats?limit=200").expect(200).json().path("items")) {
                if (chat.path("title").asString().equals("Follow me from the chat API")) {
                    chatId = chat.path("id").asString();
                }
            }
            assertThat(chatId).isNotNull();
            JsonNode answer = alice.get("/api/v1/chats/" + chatId + "/messages").expect(200).json().at("/items/1");
            assertThat(answer.path("status").asString()).isIn("pending", "streaming");

            try (SseStream followed = alice.stream("/api/v1/messages/" + answer.path("id").asString() + "/stream")) {
                gate.release();
                List<SseStream.Event> events = followed.untilEnd(WAIT);
                assertThat(SseStream.text(events)).isEqualTo("Followed from both sides");
                assertThat(events.getLast().data().path("status").asString()).isEqualTo("complete");
            }
            StringBuilder text = new StringBuilder();
            while (true) {
                SseStream.Event chunk = completion.next(WAIT);
                text.append(chunk.data().at("/choices/0/delta/content").asString(""));
                if (!chunk.data().at("/choices/0/finish_reason").isNull()
                        && !chunk.data().at("/choices/0/finish_reason").isMissingNode()) {
                    break;
                }
            }
            assertThat(text.toString()).isEqualTo("Followed from both sides");
        }
    }

    @Test
    void aClientThatHangsUpMidStreamCancelsTheUpstream() throws Exception {
        Script.Gate gate = new Script.Gate();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tokens.add("t" + i + " ");
        }
        // Tokens come as a model writes them, not all at once: the answer is still running when the first
        // write after the hang-up fails.
        upstream.reply("m1", Script.tokens(tokens.toArray(String[]::new)).holdAfter(3, gate)
                .delay(Duration.ofMillis(20)));
        String body = ApiClient.JSON.writeValueAsString(Map.of("model", "m1", "stream", true, "store", true,
                "messages", List.of(Map.of("role", "user", "content", "Count"))));

        String chatId = null;
        StringBuilder seen = new StringBuilder();
        URI base = URI.create(server.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: " + base.getAuthority()
                    + "\r\nAuthorization: Bearer " + key + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while (!seen.toString().equals("t0 t1 t2 ") && (line = in.readLine()) != null) {
                if (line.regionMatches(true, 0, "X-Nosso-Chat-Id:", 0, 16)) {
                    chatId = line.substring(16).strip();
                } else if (line.startsWith("data: {")) {
                    JsonNode content = ApiClient.JSON.readTree(line.substring(6)).at("/choices/0/delta/content");
                    if (content.isString()) {
                        seen.append(content.asString());
                    }
                }
            }
        } // the client hangs up here, while the upstream holds
        assertThat(seen.toString()).isEqualTo("t0 t1 t2 ");
        assertThat(chatId).isNotNull();
        gate.release();

        String messages = "/api/v1/chats/" + chatId + "/messages";
        JsonNode answer = Eventually.within(WAIT).until(() -> alice.get(messages).expect(200).json().at("/items/1"),
                a -> a.path("status").asString().equals("cancelled"));
        assertThat(answer.path("content").asString()).startsWith("t0 t1 t2 ");
        assertThat(answer.path("content").asString().length()).isLessThan(String.join("", tokens).length());
    }

    @Test
    void errorsComeInOpenAisShape() {
        ApiClient anonymous = server.anonymous();
        ApiClient bearer = anonymous.withBearer(key);
        Map<String, Object> hello = Map.of("model", "m1", "messages", List.of(Map.of("role", "user", "content", "Hi")));

        Response missingKey = anonymous.post("/v1/chat/completions", hello);
        expectError(missingKey, 401, "invalid_request_error", "invalid_api_key");
        assertThat(missingKey.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(missingKey.headers().firstValue("WWW-Authenticate")).isEmpty();
        expectError(anonymous.withBearer("nsk_wrong").get("/v1/models"), 401, "invalid_request_error",
                "invalid_api_key");
        // The session cookie alone is no credential here: OpenAI's clients send keys.
        expectError(alice.post("/v1/chat/completions", hello), 401, "invalid_request_error", "invalid_api_key");
        expectError(alice.get("/v1/models"), 401, "invalid_request_error", "invalid_api_key");
        // Nor under an encoded spelling of the same path, which the controllers match all the same.
        expectError(alice.get("/%76%31/models"), 401, "invalid_request_error", "invalid_api_key");

        expectError(bearer.post("/v1/chat/completions", "{not json"), 400, "invalid_request_error", "invalid_body");
        Response noModel = bearer.post("/v1/chat/completions", Map.of("messages", List.of(Map.of("role", "user",
                "content", "Hi"))));
        expectError(noModel, 400, "invalid_request_error", "missing_required_parameter");
        assertThat(noModel.text("/error/param")).isEqualTo("model");
        Response noMessages = bearer.post("/v1/chat/completions", Map.of("model", "m1", "messages", List.of()));
        expectError(noMessages, 400, "invalid_request_error", "missing_required_parameter");
        assertThat(noMessages.text("/error/param")).isEqualTo("messages");
        Response badRole = bearer.post("/v1/chat/completions", Map.of("model", "m1",
                "messages", List.of(Map.of("role", "robot", "content", "Hi"))));
        expectError(badRole, 400, "invalid_request_error", "invalid_value");
        assertThat(badRole.text("/error/param")).isEqualTo("messages[0].role");
        Response image = bearer.post("/v1/chat/completions", Map.of("model", "m1", "messages", List.of(Map.of(
                "role", "user", "content", List.of(Map.of("type", "image_url",
                        "image_url", Map.of("url", "https://example.org/cat.png")))))));
        expectError(image, 400, "invalid_request_error", "invalid_image_url"); // this server fetches no URL
        expectError(bearer.post("/v1/chat/completions", Map.of("model", "m1", "temperature", 3, "messages",
                List.of(Map.of("role", "user", "content", "Hi")))), 400, "invalid_request_error", "invalid_value");

        Response unknown = bearer.post("/v1/chat/completions", Map.of("model", "nope",
                "messages", List.of(Map.of("role", "user", "content", "Hi"))));
        expectError(unknown, 404, "invalid_request_error", "model_not_found");
        assertThat(unknown.text("/error/param")).isEqualTo("model");
        expectError(bearer.get("/v1/models/nope"), 404, "invalid_request_error", "model_not_found");
        // Past the limit with the room a completion has for one image in base64 (2 MB + 10 MB × 4/3).
        String huge = "{\"model\": \"m1\", \"messages\": [{\"role\": \"user\", \"content\": \""
                + "y".repeat(17 * 1024 * 1024) + "\"}]}";
        expectError(bearer.postChunked("/v1/chat/completions", huge), 413, "invalid_request_error",
                "request_too_large");
        expectError(bearer.post("/v1/chat/completions", Map.of("model", "m1", "messages", List.of(Map.of("role",
                "user", "content", "y".repeat(17 * 1024 * 1024))))), 413, "invalid_request_error", "request_too_large");
        // What a stored chat would refuse is refused before any model runs, and leaves no chat behind.
        int chats = chatCount();
        expectError(bearer.post("/v1/chat/completions", Map.of("model", "m1", "store", true,
                "messages", List.of(Map.of("role", "user", "content", "  ")))), 400, "invalid_request_error",
                "validation");
        assertThat(chatCount()).isEqualTo(chats);
        expectError(bearer.get("/v1/embeddings"), 404, "invalid_request_error", "unknown_url");
        expectError(bearer.get("/v1/chat/completions"), 404, "invalid_request_error", "unknown_url");
        assertThat(upstream.requests("/v1/chat/completions")).isEmpty();
    }

    @Test
    void textPartsUnknownFieldsAndTheDeveloperRoleAreAccepted() {
        Response answered = server.anonymous().withBearer(key).post("/v1/chat/completions", Map.of(
                "model", "m1", "user", "someone", "seed", 7, "logprobs", false,
                "messages", List.of(
                        Map.of("role", "developer", "content", "Answer in one word."),
                        Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "Say"),
                                Map.of("type", "text", "text", "hi"))))));

        answered.expect(200);
        assertThat(answered.text("/object")).isEqualTo("chat.completion");
        assertThat(answered.text("/choices/0/message/role")).isEqualTo("assistant");
        assertThat(answered.json().at("/choices/0/message/refusal").isNull()).isTrue();
        assertThat(answered.json().at("/usage/total_tokens").asInt()).isEqualTo(
                answered.json().at("/usage/prompt_tokens").asInt()
                        + answered.json().at("/usage/completion_tokens").asInt());
        JsonNode sent = upstream.lastChat().json();
        assertThat(sent.at("/messages/0/role").asString()).isEqualTo("system");
        assertThat(sent.at("/messages/1/content").asString()).isEqualTo("Say\nhi");
    }

    private static void expectError(Response response, int status, String type, String code) {
        response.expect(status);
        JsonNode error = response.json().path("error");
        assertThat(error.isObject()).as("an OpenAI error object in %s", response.body()).isTrue();
        assertThat(error.path("type").asString()).as(response.body()).isEqualTo(type);
        assertThat(error.path("code").asString()).as(response.body()).isEqualTo(code);
        assertThat(error.path("message").asString()).as(response.body()).isNotBlank();
        assertThat(error.has("param")).as(response.body()).isTrue();
    }
}
