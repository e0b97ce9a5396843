package dev.nosso.interop;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.nosso.chat.MessageStatus;
import dev.nosso.chat.Usage;
import dev.nosso.generation.Grounding;
import dev.nosso.platform.Ids;
import dev.nosso.provider.Cancellation;
import dev.nosso.provider.Completion;
import dev.nosso.provider.CompletionRequest;
import dev.nosso.provider.LanguageModels;
import dev.nosso.provider.Model;
import dev.nosso.provider.PromptMessage;
import dev.nosso.provider.ProviderFailure;
import dev.nosso.provider.UnknownModel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.springframework.stereotype.Service;

/**
 * One chat completion of the OpenAI-compatible API, run on the request's own (virtual) thread: resolves the
 * model, keeps the exchange as a chat when the request says {@code "store": true}, streams the model's text
 * to the caller, and counts the tokens the provider did not report. Stateless otherwise: nothing is written.
 */
@Service
class ChatCompletions {

    // What a chat format adds around each message, and before the answer, as OpenAI documents for its models.
    private static final int PER_MESSAGE = 4;
    private static final int ANSWER_PRIMER = 3;
    private static final Set<String> FINISH_REASONS = Set.of("stop", "length", "content_filter", "tool_calls",
            "function_call");

    private final LanguageModels models;
    private final Transcripts transcripts;
    private final Clock clock;
    // cl100k_base for every model, as the prompt budget does: not exact for each model, but close.
    private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private final Grounding grounding;

    ChatCompletions(LanguageModels models, Transcripts transcripts, Grounding grounding, Clock clock) {
        this.grounding = grounding;
        this.models = models;
        this.transcripts = transcripts;
        this.clock = clock;
    }

    /**
     * Checks the request and finds its model; with {@code store}, commits the chat before any model runs.
     *
     * @throws OpenAiError 400 for a request this API cannot take, 404 for a model no connection serves
     */
    /**
     * The messages with Nosso's numbered sources in front, when the request asks for them: the last user
     * message is searched, and the sources take at most a third of the model's context (2,048 tokens when
     * its length is unknown).
     */
    private List<PromptMessage> grounded(UUID owner, ChatCompletionRequest body, List<PromptMessage> messages,
                                         Model model) {
        if (!body.grounded()) {
            return messages;
        }
        String question = messages.reversed().stream().filter(m -> m.role().equals("user")).map(PromptMessage::content)
                .findFirst().orElse("");
        int room = model.contextLength() != null ? model.contextLength() / 3 : 2048;
        return grounding.sourcesFor(owner, question, body.collectionIds(), body.fileIds(),
                        Boolean.TRUE.equals(body.memory()), room)
                .map(sources -> {
                    List<PromptMessage> withSources = new ArrayList<>(messages.size() + 1);
                    withSources.add(sources);
                    withSources.addAll(messages);
                    return List.copyOf(withSources);
                })
                .orElse(messages);
    }

    Call start(UUID owner, ChatCompletionRequest body) {
        CompletionRequest asked = body.toCompletionRequest();
        Model model = models.find(asked.model()).orElseThrow(() -> OpenAiError.modelNotFound(asked.model()));
        CompletionRequest request = new CompletionRequest(model.id(), grounded(owner, body, asked.messages(), model),
                asked.temperature(), asked.maxTokens());
        Transcripts.Transcript transcript = body.stored()
                ? transcripts.begin(owner, request.messages(), model.id()) : null;
        String id = "chatcmpl-" + Ids.next().toString().replace("-", "");
        return new Call(id, clock.instant().getEpochSecond(), request, transcript);
    }

    /**
     * Runs the completion: each piece of text goes to {@code onDelta} as it comes. A cancelled call (the
     * client went away) returns what it had; a stored exchange is ended however the call ends.
     *
     * @throws ProviderFailure for an upstream fault, after storing the answer as {@code error}
     * @throws UnknownModel    when the model's connection went away since {@link #start}
     */
    Outcome run(Call call, Consumer<String> onDelta, Cancellation cancellation) {
        long start = System.nanoTime();
        long[] firstToken = {0};
        StringBuilder text = new StringBuilder();
        Completion completion = null;
        try {
            completion = models.stream(call.request(), delta -> {
                if (delta.isEmpty()) {
                    return;
                }
                if (firstToken[0] == 0) {
                    firstToken[0] = System.nanoTime();
                }
                text.append(delta);
                onDelta.accept(delta);
            }, cancellation);
        } catch (ProviderFailure | UnknownModel e) {
            if (!cancellation.isCancelled()) { // a fault caused by our own cancel is no fault
                end(call, outcome(call, null, text), MessageStatus.ERROR, e.getMessage(), start, firstToken[0]);
                throw e;
            }
        } catch (RuntimeException e) {
            end(call, outcome(call, null, text), MessageStatus.ERROR, "The answer failed because of an error in Nosso.",
                    start, firstToken[0]);
            throw e;
        }
        Outcome outcome = outcome(call, completion, text);
        end(call, outcome, cancellation.isCancelled() ? MessageStatus.CANCELLED : MessageStatus.COMPLETE, null, start,
                firstToken[0]);
        return outcome;
    }

    private Outcome outcome(Call call, Completion completion, StringBuilder text) {
        String answer = text.toString();
        int promptTokens = completion != null && completion.promptTokens() != null ? completion.promptTokens()
                : promptTokens(call.request());
        int completionTokens = completion != null && completion.completionTokens() != null
                ? completion.completionTokens() : count(answer);
        String reason = completion != null && FINISH_REASONS.contains(completion.finishReason())
                ? completion.finishReason() : "stop";
        return new Outcome(answer, promptTokens, completionTokens, reason);
    }

    private void end(Call call, Outcome outcome, MessageStatus status, String error, long start, long firstToken) {
        if (call.transcript() == null) {
            return;
        }
        long end = System.nanoTime();
        Long timeToFirst = firstToken == 0 ? null : TimeUnit.NANOSECONDS.toMillis(firstToken - start);
        Double perSecond = firstToken != 0 && end > firstToken && outcome.completionTokens() > 0
                ? Math.round(outcome.completionTokens() * 1e9 / (end - firstToken) * 10) / 10.0 : null;
        Usage usage = new Usage(outcome.promptTokens(), outcome.completionTokens(), timeToFirst,
                TimeUnit.NANOSECONDS.toMillis(end - start), perSecond);
        transcripts.end(call.transcript(), outcome.text(), status, error, usage);
    }

    private int promptTokens(CompletionRequest request) {
        int tokens = ANSWER_PRIMER;
        for (PromptMessage m : request.messages()) {
            tokens += PER_MESSAGE + count(m.content());
        }
        return tokens;
    }

    private int count(String text) {
        return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    /**
     * A started completion.
     *
     * @param id         {@code chatcmpl-...}, the same in every chunk of a stream
     * @param created    Unix seconds
     * @param request    with the catalog's model id
     * @param transcript where the exchange is kept, or null when it is not ({@code store} absent or false)
     */
    record Call(String id, long created, CompletionRequest request, Transcripts.Transcript transcript) {

        Optional<UUID> chatId() {
            return Optional.ofNullable(transcript).map(Transcripts.Transcript::chatId);
        }
    }

    /** How a completion ended: its text, its tokens (reported, or counted here) and OpenAI's finish reason. */
    record Outcome(String text, int promptTokens, int completionTokens, String finishReason) {
    }
}
