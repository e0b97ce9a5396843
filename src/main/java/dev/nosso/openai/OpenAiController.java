package dev.nosso.openai;

import dev.nosso.identity.Caller;
import dev.nosso.preset.Presets;
import dev.nosso.provider.LanguageModels;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAI-compatible API, for OpenAI's own clients and the tools built on them: the model list and chat
 * completions, streamed or whole, authenticated by a Nosso API key. Every error, from here or from the
 * security chain, comes in OpenAI's shape ({@link OpenAiErrors}).
 */
@RestController
@RequestMapping("/v1")
@Tag(name = "OpenAI-compatible API")
class OpenAiController {

    /** Names the chat that keeps a {@code "store": true} exchange. */
    static final String CHAT_ID = "X-Nosso-Chat-Id";

    private final LanguageModels models;
    private final Presets presets;
    private final ChatCompletions completions;
    private final JsonMapper json;
    private final long startedAt;

    OpenAiController(LanguageModels models, Presets presets, ChatCompletions completions, JsonMapper json,
                     Clock clock) {
        this.models = models;
        this.presets = presets;
        this.completions = completions;
        this.json = json;
        this.startedAt = clock.instant().getEpochSecond();
    }

    @GetMapping("/models")
    @Operation(summary = "The models of every enabled connection, each owned by its connection, then the presets "
            + "the caller may use (their own and the published ones) as preset:<name>")
    ModelList models(@AuthenticationPrincipal Caller caller) {
        return ModelList.of(models.models(), presets.visible(caller.userId()), startedAt);
    }

    // {*id}: model ids may hold slashes ("library/llama3", "openai/gpt-4o").
    @GetMapping("/models/{*modelId}")
    @Operation(summary = "One model; 404 model_not_found when no connection serves it")
    ModelList.Entry model(@AuthenticationPrincipal Caller caller, @PathVariable String modelId) {
        String id = modelId.startsWith("/") ? modelId.substring(1) : modelId;
        return presets.byModelId(caller.userId(), id).map(p -> ModelList.Entry.of(p, startedAt))
                .or(() -> models.find(id).map(m -> ModelList.Entry.of(m, startedAt)))
                .orElseThrow(() -> OpenAiError.modelNotFound(id));
    }

    /**
     * A completion, whole or streamed ({@code "stream": true}); with {@code "store": true} the exchange is
     * kept as a chat of the key's owner, named in the {@value #CHAT_ID} header.
     */
    @PostMapping("/chat/completions")
    @Operation(summary = "A chat completion, whole or streamed as OpenAI streams it; store: true keeps it as a chat")
    ResponseEntity<ChatCompletion> complete(@AuthenticationPrincipal Caller caller,
                                            @RequestBody ChatCompletionRequest body, HttpServletResponse response)
            throws InterruptedException {
        ChatCompletions.Call call = completions.start(caller.userId(), body);
        call.chatId().ifPresent(id -> response.setHeader(CHAT_ID, id.toString()));
        if (!body.streams()) {
            return ResponseEntity.ok(ChatCompletion.of(call, completions.whole(call)));
        }
        completions.stream(call, new ChunkStream(response, json, call), body.includeUsage());
        return null; // written already
    }

    /** Any other path under /v1, with any method: what OpenAI answers there, in its shape. */
    @Hidden
    @RequestMapping("/**")
    void unknown(HttpServletRequest request) {
        throw new OpenAiError(HttpStatus.NOT_FOUND, OpenAiError.INVALID_REQUEST, null, "unknown_url",
                "Invalid URL (" + request.getMethod() + " " + request.getRequestURI() + "): Nosso serves "
                        + "GET /v1/models, GET /v1/models/{model} and POST /v1/chat/completions.");
    }
}
