package dev.nosso.generation;

import dev.nosso.chat.Chat;
import dev.nosso.chat.Exchange;
import dev.nosso.chat.Message;
import dev.nosso.chat.MessageStatus;
import dev.nosso.chat.Messages;
import dev.nosso.chat.Source;
import dev.nosso.chat.Usage;
import dev.nosso.identity.Preferences;
import dev.nosso.platform.DatabaseOutage;
import dev.nosso.platform.Tokens;
import dev.nosso.platform.Writes;
import dev.nosso.provider.Completion;
import dev.nosso.provider.CompletionRequest;
import dev.nosso.provider.LanguageModels;
import dev.nosso.provider.Model;
import dev.nosso.provider.PromptMessage;
import dev.nosso.provider.ProviderFailure;
import dev.nosso.provider.UnknownModel;
import dev.nosso.retrieval.Scope;
import dev.nosso.usage.UsageLedger;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
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
    private static final int GIVEN_SOURCES_TOKENS = 2048; // when the model's context length is unknown
    static final String DATABASE_AWAY = "The database could not be reached while this answer was prepared; "
            + "send it again.";
    private static final Set<String> FINISH_REASONS = Set.of("stop", "length", "content_filter", "tool_calls",
            "function_call");

    private final Messages messages;
    private final LanguageModels models;
    private final Preferences preferences;
    private final PromptBuilder prompts;
    private final StreamHub hub;
    private final RedisAnswers redis;
    private final TurnMetrics metrics;
    private final Titles titles;
    private final GenerationSettings settings;
    private final Grounding grounding;
    private final UsageLedger ledger;
    private final Writes writes;
    private final Clock clock;
    private final DatabaseOutage outage;
    private volatile boolean running;

    AnswerGeneration(Messages messages, LanguageModels models, Preferences preferences, PromptBuilder prompts,
                     StreamHub hub, TurnMetrics metrics, Titles titles, GenerationSettings settings,
                     Grounding grounding, RedisAnswers redis, UsageLedger ledger, Writes writes, Clock clock,
                     DatabaseOutage outage) {
        this.outage = outage;
        this.ledger = ledger;
        this.writes = writes;
        this.grounding = grounding;
        this.redis = redis;
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

    /**
     * Everything one answer is generated from.
     *
     * @param chat   the chat that keeps it (its settings shape the prompt), or null for a stateless completion
     * @param answer the answer as committed, or, for a stateless completion, as it exists only in memory
     * @param scope  what to search for sources; {@link Scope#NONE} for none
     * @param given  the prompt as a client gave it (the OpenAI-compatible API), sent as it is with its
     *               temperature and length; null to build it from the chat's branch and settings
     * @param newQuestion whether the question was sent with this answer, and is remembered when it ends
     * @param branch the branch ending at the question as starting the turn read it (see {@link Exchange#branch()});
     *               empty to read it all here
     */
    record Plan(UUID owner, Chat chat, Message answer, Model model, Scope scope, CompletionRequest given,
                boolean newQuestion, List<Message> branch) {

        /** Whether the answer is a row of a chat, checkpointed and ended in the database. */
        boolean stored() {
            return answer.chatId() != null;
        }
    }

    void run(Plan plan, LiveAnswer live) {
        long start = System.nanoTime();
        long[] firstToken = {0};
        Message answer = plan.answer();
        MessageStatus status;
        String error = null;
        Completion completion = null;
        PromptBuilder.Prompt prompt = null;
        try {
            prompt = prompt(plan);
            if (!prompt.sources().isEmpty() && plan.stored()) {
                messages.ground(answer.id(), prompt.sources());
            }
            answer = answer.withSources(prompt.sources());
            completion = models.stream(request(plan, prompt), delta -> {
                if (firstToken[0] == 0 && !delta.isEmpty()) {
                    firstToken[0] = System.nanoTime();
                }
                int end = live.append(delta);
                if (plan.stored()) {
                    redis.appended(live.messageId(), delta, end);
                }
            }, live.cancellation());
            status = stopped(live, MessageStatus.COMPLETE);
        } catch (ProviderFailure | UnknownModel e) {
            status = stopped(live, MessageStatus.ERROR);
            error = status == MessageStatus.ERROR ? e.getMessage() : null;
        } catch (RuntimeException e) {
            boolean away = outage.noted(e, "Answer " + answer.id());
            if (!away) {
                log.error("Answer {} failed", answer.id(), e);
            }
            status = stopped(live, MessageStatus.ERROR);
            error = status != MessageStatus.ERROR ? null : away ? DATABASE_AWAY
                    : "The answer failed because of an error in Nosso.";
        }
        if (status == MessageStatus.INTERRUPTED) {
            error = Recovery.REASON;
        }
        String text = live.text();
        Usage usage = usage(prompt, completion, text, start, firstToken[0]);
        Message ended = plan.stored() ? store(plan, answer, text, status, error, usage)
                : counted(plan, ended(answer, text, status, error, usage));
        live.finish(ended, finishReason(completion));
        hub.remove(live);
        if (plan.stored()) {
            redis.ended(live.messageId());
        }
        metrics.ended(status, usage);
        Chat chat = plan.chat();
        if (status == MessageStatus.COMPLETE && plan.given() == null && answer.depth() == 1 && settings.titles()
                && Chat.DEFAULT_TITLE.equals(chat.title())) {
            titles.write(plan.owner(), chat.id(), plan.model(), answer.parentId(), text);
        }
    }

    /** The chat's branch within the model's context, or the given messages; with the sources found first. */
    private PromptBuilder.Prompt prompt(Plan plan) {
        UUID owner = plan.owner();
        Model model = plan.model();
        if (plan.given() != null) {
            List<PromptMessage> given = plan.given().messages();
            List<Source> found = grounding.sources(owner, lastQuestion(given), plan.scope(), plan.answer().parentId());
            // The sources take at most a third of the model's context: the client chose the rest.
            int room = model.contextLength() != null ? model.contextLength() / 3 : GIVEN_SOURCES_TOKENS;
            return prompts.given(given, found, room);
        }
        Chat chat = plan.chat();
        String system = chat.systemPrompt() != null ? chat.systemPrompt() : preferences.of(owner).systemPrompt();
        int answerTokens = chat.maxTokens() != null ? chat.maxTokens() : settings.answerTokens();
        int context = model.contextLength() != null ? model.contextLength() : settings.contextTokens();
        UUID question = plan.answer().parentId();
        List<Source> found = grounding.sources(owner, question, plan.scope());
        return prompts.build(owner, chat.id(), question, plan.branch(), system, context, answerTokens, found,
                model.blind());
    }

    private static CompletionRequest request(Plan plan, PromptBuilder.Prompt prompt) {
        if (plan.given() != null) {
            return new CompletionRequest(plan.model().id(), prompt.messages(), plan.given().temperature(),
                    plan.given().maxTokens());
        }
        return new CompletionRequest(plan.model().id(), prompt.messages(), plan.chat().temperature(),
                plan.chat().maxTokens());
    }

    private static String lastQuestion(List<PromptMessage> messages) {
        return messages.reversed().stream().filter(m -> m.role().equals("user")).map(PromptMessage::content)
                .findFirst().orElse("");
    }

    /** The provider's reason when it is one of OpenAI's; otherwise (or when it gave none) {@code stop}. */
    private static String finishReason(Completion completion) {
        // Set.of(...).contains(null) throws: some OpenAI-compatible servers send no finish_reason at all.
        return completion != null && completion.finishReason() != null
                && FINISH_REASONS.contains(completion.finishReason()) ? completion.finishReason() : "stop";
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
                ? completion.completionTokens() : Integer.valueOf(Tokens.count(text));
        Long timeToFirst = firstToken == 0 ? null : TimeUnit.NANOSECONDS.toMillis(firstToken - start);
        Double perSecond = null;
        if (firstToken != 0 && end - firstToken > 0 && completionTokens > 0) {
            perSecond = Math.round(completionTokens * 1e9 / (end - firstToken) * 10) / 10.0;
        }
        return new Usage(promptTokens, completionTokens, timeToFirst, TimeUnit.NANOSECONDS.toMillis(end - start),
                perSecond);
    }

    /**
     * Stores the end of an answer, trying again if the database refuses: this is the write that decides whether
     * the text survives. While the database is away it tries for as long as the outage lasts (until the server
     * stops), with the answer still live: its streams wait for the end instead of the row staying
     * {@code streaming} for good once the database is back. Any other failure is tried a few times.
     */
    private Message store(Plan plan, Message answer, String text, MessageStatus status, String error, Usage usage) {
        int failures = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                // The answer's end and its place in the usage roll-up commit together.
                return writes.run(() -> {
                    Message ended = messages.finish(plan.owner(), answer, text, status, error, usage,
                            plan.newQuestion());
                    count(plan.owner(), ended);
                    return ended;
                });
            } catch (RuntimeException e) {
                if (outage.noted(e, "Storing the end of answer " + answer.id())) {
                    if (!running) {
                        break; // stopping: the last checkpoint stays, and the next start marks it interrupted
                    }
                    sleep(Duration.ofMillis(Math.min(2_000, 200L * attempt)));
                    continue;
                }
                failures++;
                if (failures == 5) {
                    log.error("Could not store the end of answer {}; its last checkpoint stays", answer.id(), e);
                    break;
                }
                log.warn("Storing the end of answer {} failed (attempt {}), trying again", answer.id(), failures, e);
                sleep(Duration.ofMillis(200L * failures));
            }
        }
        return ended(answer, text, status, error, usage);
    }

    /**
     * Counts an answer that is not stored (the OpenAI-compatible API without {@code store}) in the usage roll-up,
     * in a write of its own: its tokens were spent all the same. A failure costs the figures, never the answer.
     */
    private Message counted(Plan plan, Message ended) {
        try {
            writes.run(() -> {
                count(plan.owner(), ended);
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("Could not count the usage of answer {}", ended.id(), e);
        }
        return ended;
    }

    private void count(UUID owner, Message ended) {
        Usage usage = ended.usage();
        if (usage != null) {
            ledger.add(owner, ended.model(), ended.createdAt(), usage.promptTokens(), usage.completionTokens(),
                    usage.timeToFirstTokenMs(), usage.tokensPerSecond());
        }
    }

    /** The end of an answer as it is known here, when the database does not have it. */
    private Message ended(Message answer, String text, MessageStatus status, String error, Usage usage) {
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
