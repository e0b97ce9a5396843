package dev.nosso.openai;

import dev.nosso.chat.Message;
import dev.nosso.chat.MessageStatus;
import dev.nosso.generation.SourceChoice;
import dev.nosso.generation.Turn;
import dev.nosso.generation.Turns;
import dev.nosso.knowledge.Images;
import dev.nosso.platform.Ids;
import dev.nosso.preset.Preset;
import dev.nosso.preset.Presets;
import dev.nosso.provider.CompletionRequest;
import dev.nosso.provider.PromptMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * One chat completion of the OpenAI-compatible API, as a view of a {@link Turn}: the turn is started by
 * {@link Turns} like any other (with {@code "store": true} it is kept as a chat and checkpointed), and its
 * live answer is read here into OpenAI's whole completion or its chunk stream.
 */
@Service
class ChatCompletions {

    // How long one wait for more text lasts; the answer's own time limits decide when it ends.
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Turns turns;
    private final Presets presets;
    private final Clock clock;
    private final Images images;

    ChatCompletions(Turns turns, Presets presets, Clock clock, Images images) {
        this.images = images;
        this.turns = turns;
        this.presets = presets;
        this.clock = clock;
    }

    /**
     * Checks the request and starts its turn; with {@code store}, the chat is committed before any model runs.
     *
     * @throws OpenAiError 400 for a request this API cannot take
     */
    Call start(UUID owner, ChatCompletionRequest body) {
        CompletionRequest request = body.toCompletionRequest(images);
        SourceChoice sources = new SourceChoice(body.collectionIds(), body.fileIds(), body.memory());
        Optional<Preset> preset = presets.byModelId(owner, request.model());
        if (preset.isPresent()) {
            request = applied(preset.get(), request);
            boolean named = body.collectionIds() != null || body.fileIds() != null || body.memory() != null;
            sources = named ? sources : grounding(preset.get());
        }
        Turn turn = turns.complete(owner, request, sources, body.stored());
        String id = "chatcmpl-" + Ids.next().toString().replace("-", "");
        return new Call(id, clock.instant().getEpochSecond(), turn.answer().model(), turn);
    }

    /**
     * The whole answer, once it has ended.
     *
     * @throws OpenAiError 502 when the provider failed
     */
    Turn.End whole(Call call) throws InterruptedException {
        Turn.End end;
        do {
            end = call.turn().awaitEnd(WAIT);
        } while (end == null);
        return succeeded(end);
    }

    /**
     * The answer as OpenAI streams it, piece by piece as the model writes. A client that goes away stops the
     * answer, which ends {@code cancelled} with what it had.
     *
     * @throws OpenAiError 502 when the provider failed before saying anything (after that, inside the stream)
     */
    void stream(Call call, ChunkStream stream, boolean includeUsage) throws InterruptedException {
        int at = 0;
        while (true) {
            Turn.Piece piece = call.turn().next(at, WAIT);
            if (!piece.text().isEmpty()) {
                stream.delta(piece.text());
                at = piece.end();
            }
            Turn.End end = piece.ended();
            if (end != null) {
                if (end.message().status() != MessageStatus.ERROR) {
                    stream.finish(end, includeUsage);
                } else if (stream.started()) {
                    stream.fail(OpenAiError.upstream(end.message().error()));
                } else {
                    throw OpenAiError.upstream(end.message().error()); // nothing sent yet: a plain error
                }
                return;
            }
        }
    }

    /**
     * A request for a preset as the preset says: its model, its system prompt before the request's messages, and
     * its temperature and longest answer unless the request sets its own.
     */
    static CompletionRequest applied(Preset preset, CompletionRequest request) {
        List<PromptMessage> messages = new ArrayList<>(request.messages().size() + 1);
        if (preset.systemPrompt() != null && !preset.systemPrompt().isBlank()) {
            messages.add(new PromptMessage("system", preset.systemPrompt()));
        }
        messages.addAll(request.messages());
        return new CompletionRequest(preset.model(), List.copyOf(messages),
                request.temperature() != null ? request.temperature() : preset.temperature(),
                request.maxTokens() != null ? request.maxTokens() : preset.maxTokens());
    }

    /** What a preset grounds answers on when the request names nothing itself: its collections and memory. */
    private static SourceChoice grounding(Preset preset) {
        if (preset.collectionIds().isEmpty() && !preset.memory()) {
            return SourceChoice.CHAT_DEFAULTS; // names nothing: no sources
        }
        return new SourceChoice(preset.collectionIds().isEmpty() ? null : preset.collectionIds(),
                null, preset.memory());
    }

    private static Turn.End succeeded(Turn.End end) {
        if (end.message().status() == MessageStatus.ERROR) {
            throw OpenAiError.upstream(end.message().error());
        }
        return end;
    }

    /**
     * A started completion.
     *
     * @param id      {@code chatcmpl-...}, the same in every chunk of a stream
     * @param created Unix seconds
     * @param model   the catalog's id of the model that answers
     */
    record Call(String id, long created, String model, Turn turn) {

        /** The chat that keeps the exchange, when the request asked to store it. */
        Optional<UUID> chatId() {
            return turn.chatId();
        }
    }

    /** The tokens of an ended answer: as the provider reported them, or as they were counted. */
    static TokenUsage usage(Message answer) {
        int prompt = answer.usage() != null && answer.usage().promptTokens() != null ? answer.usage().promptTokens() : 0;
        int completion = answer.usage() != null && answer.usage().completionTokens() != null
                ? answer.usage().completionTokens() : 0;
        return new TokenUsage(prompt, completion, prompt + completion);
    }
}
