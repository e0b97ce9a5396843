package dev.nosso.generation;

import dev.nosso.chat.Chat;
import dev.nosso.chat.Message;
import dev.nosso.chat.MessageStatus;
import dev.nosso.chat.Source;
import dev.nosso.chat.Messages;
import dev.nosso.chat.Usage;
import dev.nosso.identity.Preferences;
import dev.nosso.provider.Completion;
import dev.nosso.provider.CompletionRequest;
import dev.nosso.provider.LanguageModels;
import dev.nosso.provider.Model;
import dev.nosso.provider.ProviderFailure;
import dev.nosso.provider.UnknownModel;
import dev.nosso.retrieval.Scope;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Generates one answer, start to end, on the thread that calls {@link #run}: builds the prompt, streams the
 * model's text into the {@link LiveAnswer}, and stores how it ended. Whatever happens upstream, the answer
 * ends with a status and keeps the text it had; no upstream fault becomes an error of ours.
 *
 * <p>Also stops running answers before the web server shuts down, so that their streams end and their
 * last text is stored as {@code interrupted} rather than lost with the process.
 */
@Component
class AnswerGeneration implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AnswerGeneration.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    private final Messages messages;
    private final LanguageModels models;
    private final Preferences preferences;
    private final PromptBuilder prompts;
    private final StreamHub hub;
    private final TurnMetrics metrics;
    private final Titles titles;
    private final GenerationSettings settings;
    private final Grounding grounding;
    private final Clock clock;
    private volatile boolean running;

    AnswerGeneration(Messages messages, LanguageModels models, Preferences preferences, PromptBuilder prompts,
                     StreamHub hub, TurnMetrics metrics, Titles titles, GenerationSettings settings,
                     Grounding grounding, Clock clock) {
        this.grounding = grounding;
        this.messages = messages;
        this.models = models;
        this.preferences = preferences;
        this.prompts = prompts;
        this.hub = hub;
        this.metrics = metrics;
        this.titles = titles;
        this.settings = settings;
        this.clock = clock;
    }

    void run(UUID owner, Chat chat, Message answer, Model model, LiveAnswer live, Scope scope) {
        long start = System.nanoTime();
        long[] firstToken = {0};
        MessageStatus status;
        String error = null;
        Completion completion = null;
        PromptBuilder.Prompt prompt = null;
        try {
            String system = chat.systemPrompt() != null ? chat.systemPrompt() : preferences.of(owner).systemPrompt();
            int answerTokens = chat.maxTokens() != null ? chat.maxTokens() : settings.answerTokens();
            int context = model.contextLength() != null ? model.contextLength() : settings.contextTokens();
            List<Source> found = grounding.sources(owner, answer.parentId(), scope);
            prompt = prompts.build(owner, chat.id(), answer.parentId(), system, context, answerTokens, found);
            if (!prompt.sources().isEmpty()) {
                messages.ground(answer.id(), prompt.sources());
                answer = answer.withSources(prompt.sources());
            }
            CompletionRequest request = new CompletionRequest(model.id(), prompt.messages(), chat.temperature(),
                    chat.maxTokens());
            completion = models.stream(request, delta -> {
                if (firstToken[0] == 0 && !delta.isEmpty()) {
                    firstToken[0] = System.nanoTime();
                }
                live.append(delta);
            }, live.cancellation());
            status = stopped(live, MessageStatus.COMPLETE);
        } catch (ProviderFailure | UnknownModel e) {
            status = stopped(live, MessageStatus.ERROR);
            error = status == MessageStatus.ERROR ? e.getMessage() : null;
        } catch (RuntimeException e) {
            log.error("Answer {} failed", answer.id(), e);
            status = stopped(live, MessageStatus.ERROR);
            error = status == MessageStatus.ERROR ? "The answer failed because of an error in Nosso." : null;
        }
        if (status == MessageStatus.INTERRUPTED) {
            error = Recovery.REASON;
        }
        String text = live.text();
        Usage usage = usage(prompt, completion, text, start, firstToken[0]);
        Message ended = store(owner, answer, text, status, error, usage);
        live.finish(ended);
        hub.remove(live);
        metrics.ended(status, usage);
        if (status == MessageStatus.COMPLETE && answer.depth() == 1 && settings.titles()
                && Chat.DEFAULT_TITLE.equals(chat.title())) {
            titles.write(owner, chat.id(), model, answer.parentId(), text);
        }
    }

    // A cancelled call ends however the client noticed it; what counts is who cancelled.
    private static MessageStatus stopped(LiveAnswer live, MessageStatus otherwise) {
        if (!live.cancellation().isCancelled()) {
            return otherwise;
        }
        return live.stoppedForShutdown() ? MessageStatus.INTERRUPTED : MessageStatus.CANCELLED;
    }

    private Usage usage(PromptBuilder.Prompt prompt, Completion completion, String text, long start, long firstToken) {
        long end = System.nanoTime();
        Integer promptTokens = completion != null && completion.promptTokens() != null ? completion.promptTokens()
                : prompt != null ? Integer.valueOf(prompt.tokens()) : null;
        Integer completionTokens = completion != null && completion.completionTokens() != null
                ? completion.completionTokens() : Integer.valueOf(prompts.count(text));
        Long timeToFirst = firstToken == 0 ? null : TimeUnit.NANOSECONDS.toMillis(firstToken - start);
        Double perSecond = null;
        if (firstToken != 0 && end - firstToken > 0 && completionTokens > 0) {
            perSecond = Math.round(completionTokens * 1e9 / (end - firstToken) * 10) / 10.0;
        }
        return new Usage(promptTokens, completionTokens, timeToFirst, TimeUnit.NANOSECONDS.toMillis(end - start),
                perSecond);
    }

    /**
     * Stores the end of an answer, trying again for a while if the database refuses: this is the write that
     * decides whether the text survives.
     */
    private Message store(UUID owner, Message answer, String text, MessageStatus status, String error, Usage usage) {
        for (int attempt = 1; ; attempt++) {
            try {
                return messages.finish(owner, answer, text, status, error, usage);
            } catch (RuntimeException e) {
                if (attempt == 5) {
                    log.error("Could not store the end of answer {}; its last checkpoint stays", answer.id(), e);
                    break;
                }
                log.warn("Storing the end of answer {} failed (attempt {}), trying again", answer.id(), attempt, e);
                sleep(Duration.ofMillis(200L * attempt));
            }
        }
        return new Message(answer.id(), answer.chatId(), answer.parentId(), answer.depth(), answer.role(), text,
                answer.model(), status, error, usage, answer.sources(), answer.createdAt(), clock.instant());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Runs before the web server's graceful shutdown (a later phase stops first): ends every running answer as
     * {@code interrupted}, with its text stored, so that open streams close instead of holding the shutdown.
     */
    @Override
    public void stop() {
        running = false;
        hub.all().forEach(LiveAnswer::stopForShutdown);
        long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
        for (LiveAnswer live : hub.all()) {
            try {
                live.awaitFinished(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
