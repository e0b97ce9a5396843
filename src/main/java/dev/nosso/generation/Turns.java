package dev.nosso.generation;

import dev.nosso.chat.Attachment;
import dev.nosso.chat.Chat;
import dev.nosso.chat.Chats;
import dev.nosso.chat.Exchange;
import dev.nosso.chat.Message;
import dev.nosso.chat.MessageRole;
import dev.nosso.chat.MessageStatus;
import dev.nosso.chat.Messages;
import dev.nosso.chat.NewMessage;
import dev.nosso.knowledge.Knowledge;
import dev.nosso.knowledge.MessageFiles;
import dev.nosso.platform.Ids;
import dev.nosso.identity.Quotas;
import dev.nosso.platform.Problems;
import dev.nosso.platform.Writes;
import dev.nosso.provider.CompletionRequest;
import dev.nosso.provider.LanguageModels;
import dev.nosso.provider.Model;
import dev.nosso.provider.UnknownModel;
import dev.nosso.retrieval.Scope;
import dev.nosso.usage.Budgets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

/**
 * The one way a turn starts, whoever asks: a message sent or edited in a chat, another answer to a question,
 * or a completion of the OpenAI-compatible API (kept as a chat or not). Each decides its model and what it
 * is grounded on, commits the question and an empty {@code pending} answer together before anyone hears of
 * them, registers the answer with the {@link StreamHub} (so it is checkpointed, followed and cancelled like
 * any other), and generates it with {@link AnswerGeneration} on a virtual thread that outlives the request.
 */
@Service
public class Turns {

    private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

    private final Messages messages;
    private final Chats chats;
    private final LanguageModels models;
    private final Knowledge knowledge;
    private final Transcripts transcripts;
    private final StreamHub hub;
    private final RemoteAnswers remote;
    private final AnswerGeneration generation;
    private final Quotas quotas;
    private final Budgets budgets;
    private final Writes writes;
    private final Clock clock;
    private final MessageFiles messageFiles;
    // Answers of the OpenAI-compatible API that are not stored, per owner, running on this node: the only ones
    // the messages table does not count.
    private final Map<UUID, Integer> unstored = new ConcurrentHashMap<>();
    // Striped by owner: the owner's turns start one at a time on this node, so that counting their running
    // answers and storing a new one cannot interleave (see admitted).
    private final ReentrantLock[] starting = new ReentrantLock[64];

    Turns(Messages messages, Chats chats, LanguageModels models, Knowledge knowledge, Transcripts transcripts,
          StreamHub hub, RemoteAnswers remote, AnswerGeneration generation, Quotas quotas, Budgets budgets,
          Writes writes, Clock clock, MessageFiles messageFiles) {
        this.messageFiles = messageFiles;
        this.quotas = quotas;
        this.budgets = budgets;
        this.writes = writes;
        this.messages = messages;
        this.chats = chats;
        this.models = models;
        this.knowledge = knowledge;
        this.transcripts = transcripts;
        this.hub = hub;
        this.remote = remote;
        this.generation = generation;
        this.clock = clock;
        for (int i = 0; i < starting.length; i++) {
            starting[i] = new ReentrantLock();
        }
    }

    /** What sending did: stored the message alone ({@code turn} null), or stored it and started its answer. */
    public record Sent(Message message, Turn turn) {
    }

    /**
     * Sends a message to a chat. A user message with a model (named, or the chat's last one) starts a turn;
     * any other (an assistant or system message, {@code generate: false}, no model anywhere) is only stored.
     *
     * @param model    the model to answer with; null for the chat's last one, which the new one replaces
     * @param generate true to insist on an answer (400 when there is no model), false to refuse one
     */
    public Sent send(UUID owner, UUID chatId, NewMessage typed, List<UUID> attachmentIds, String model,
                     SourceChoice sources, Boolean generate) {
        quotas.countMessage(owner);
        List<MessageFiles.Sent> files = messageFiles.check(owner, attachmentIds); // 404 for a file not theirs
        NewMessage message = typed.withAttachments(files.stream().map(Turns::attachment).toList());
        boolean mayAnswer = message.role() == MessageRole.USER && !Boolean.FALSE.equals(generate);
        Chat chat = mayAnswer ? chats.settings(owner, chatId) : null;
        String wanted = !mayAnswer ? null : model != null ? model : chat.model();
        if (wanted == null) {
            if (Boolean.TRUE.equals(generate)) {
                throw Problems.exception(HttpStatus.BAD_REQUEST, "model-required", "Name a model: this chat has none yet.");
            }
            NewMessage stored = new NewMessage(message.role(), message.content(), message.parentId(),
                    message.asRoot(), model, message.status(), message.attachments());
            messageFiles.attach(owner, chatId, files);
            return new Sent(messages.append(owner, chatId, stored), null);
        }
        Model chosen = model(wanted);
        if (chosen.blind() && files.stream().anyMatch(MessageFiles.Sent::image)) {
            throw cannotSee(chosen);
        }
        // The documents among the files are searched by this turn and every later one, as attached ones are.
        messageFiles.attach(owner, chatId, files);
        Scope scope = scope(owner, chat, sources); // a foreign collection or file is 404 before anything is stored
        budgets.check(owner); // before every admission: no statement unless a budget applies, then a cached sum
        boolean rememberModel = !chosen.id().equals(chat.model());
        Exchange exchange = oneAtATime(owner, () -> messages.startTurn(owner, chatId, message, chosen.id(),
                rememberModel, storedRunningLimit(owner), PromptBuilder.WINDOW)).orElseThrow(quotas::tooManyRunningAnswers);
        Turn turn = launch(new AnswerGeneration.Plan(owner, chat, exchange.answer(), chosen, scope, null, true,
                exchange.branch()), exchange.question());
        return new Sent(exchange.question(), turn);
    }

    /**
     * Another answer beside an existing one (or, given a question, under it), with the same model unless
     * another is named. It becomes the shown branch.
     */
    public Turn regenerate(UUID owner, UUID messageId, String model, SourceChoice sources) {
        quotas.countMessage(owner);
        Message target = messages.find(owner, messageId);
        UUID parent = target.role() == MessageRole.ASSISTANT ? target.parentId() : target.id();
        if (parent == null) {
            throw Problems.exception(HttpStatus.CONFLICT, "nothing-to-answer",
                    "This answer has no question above it to answer again.");
        }
        Chat chat = chats.settings(owner, target.chatId());
        String wanted = model != null ? model
                : target.role() == MessageRole.ASSISTANT && target.model() != null ? target.model() : chat.model();
        if (wanted == null) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "model-required",
                    "Name a model: neither the message nor the chat has one.");
        }
        Model chosen = model(wanted);
        Message question = target.role() == MessageRole.ASSISTANT ? messages.find(owner, parent) : target;
        if (chosen.blind() && question.attachments().stream().anyMatch(Attachment::image)) {
            throw cannotSee(chosen);
        }
        Scope scope = scope(owner, chat, sources);
        budgets.check(owner);
        Message answer = admitted(owner, () -> messages.startAnswer(owner, parent, chosen.id()));
        return launch(new AnswerGeneration.Plan(owner, chat, answer, chosen, scope, null, false, List.of()), null);
    }

    /**
     * A completion of the OpenAI-compatible API: the model answers the request's messages as they are, with
     * Nosso's sources in front when the request names some. With {@code store}, the messages and the answer
     * are kept as a new chat first, and the answer is checkpointed like any other; without, nothing is written.
     *
     * @throws UnknownModel when no enabled connection serves the request's model
     */
    public Turn complete(UUID owner, CompletionRequest request, SourceChoice sources, boolean store) {
        quotas.countMessage(owner);
        Model chosen = models.find(request.model()).orElseThrow(() -> new UnknownModel(request.model()));
        if (chosen.blind() && request.messages().stream().anyMatch(m -> !m.images().isEmpty())) {
            throw cannotSee(chosen);
        }
        Scope scope = sources.named() ? knowledge.groundingScope(owner, null, sources.collectionIds(),
                sources.fileIds(), Boolean.TRUE.equals(sources.memory())) : Scope.NONE;
        CompletionRequest asked = new CompletionRequest(chosen.id(), request.messages(), request.temperature(),
                request.maxTokens());
        budgets.check(owner);
        if (store) {
            Transcripts.Transcript kept = admitted(owner, () -> transcripts.begin(owner, request.messages(),
                    chosen.id()));
            return launch(new AnswerGeneration.Plan(owner, kept.chat(), kept.answer(), chosen, scope, asked,
                    false, List.of()), kept.question());
        }
        oneAtATime(owner, () -> {
            quotas.checkRunningAnswers(() -> running(owner));
            unstored.merge(owner, 1, Integer::sum); // counted before another of the owner's turns is admitted
            return null;
        });
        Instant now = clock.instant();
        Message answer = new Message(Ids.next(), null, null, 0, MessageRole.ASSISTANT, "", chosen.id(),
                MessageStatus.STREAMING, null, null, List.of(), now, now);
        return launch(new AnswerGeneration.Plan(owner, null, answer, chosen, scope, asked, false, List.of()), null);
    }

    /**
     * Stops an answer that is being generated, on this node or another, and keeps its text ({@code cancelled});
     * an answer that has already ended is returned as it is, so a late click on "stop" is harmless.
     */
    public Message cancel(UUID owner, UUID messageId) throws InterruptedException {
        Message message = messages.find(owner, messageId);
        if (message.role() != MessageRole.ASSISTANT) {
            throw Problems.exception(HttpStatus.CONFLICT, "not-an-answer", "Only an answer can be stopped.");
        }
        var live = hub.find(messageId);
        if (live.isPresent()) {
            live.get().cancellation().cancel();
            if (live.get().awaitFinished(CANCEL_WAIT)) {
                return live.get().finished();
            }
            return messages.find(owner, messageId);
        }
        return remote.mayBeElsewhere(message) ? remote.cancel(owner, message, CANCEL_WAIT) : message;
    }

    /** Sources named by the request, or else as the chat says: its collections and memory, and its files. */
    private Scope scope(UUID owner, Chat chat, SourceChoice sources) {
        if (sources.named()) {
            return knowledge.groundingScope(owner, chat.id(), sources.collectionIds(), sources.fileIds(),
                    Boolean.TRUE.equals(sources.memory()));
        }
        return knowledge.groundingScope(owner, chat.id(), chat.collectionIds().isEmpty() ? null : chat.collectionIds(),
                null, chat.memory());
    }

    private static Attachment attachment(MessageFiles.Sent file) {
        return new Attachment(file.id(), file.name(), file.mediaType(), file.size());
    }

    /** Said before anything is stored: an image the model would never see is a question it cannot answer. */
    static ErrorResponseException cannotSee(Model model) {
        return Problems.exception(HttpStatus.BAD_REQUEST, "model-cannot-see", "The model \"" + model.id()
                + "\" does not read images; choose a model that can see (Ollama lists \"vision\" among its "
                + "capabilities), or send the question without them.");
    }

    private Model model(String id) {
        return models.find(id).orElseThrow(() -> Problems.exception(HttpStatus.BAD_REQUEST, "unknown-model",
                "No enabled connection serves the model \"" + id + "\"; GET /api/v1/models lists them."));
    }

    /**
     * Stores a new answer with {@code start}, unless its owner has as many answers running as they may. The count
     * and the write share one transaction (SQLite's one writer) or one statement (PostgreSQL), and the owner's
     * turns start one at a time on this node, so a burst of requests cannot all pass the count before any of
     * them is stored. Across nodes sharing PostgreSQL, turns that start at the same moment on different nodes
     * do not see each other's answers: the limit may be passed by one answer per other node.
     */
    private <T> T admitted(UUID owner, Supplier<T> start) {
        return oneAtATime(owner, () -> {
            if (writes.oneStatementCommits()) {
                quotas.checkRunningAnswers(() -> running(owner));
                return start.get();
            }
            return writes.run(() -> {
                quotas.checkRunningAnswers(() -> running(owner));
                return start.get();
            });
        });
    }

    /**
     * How many answers the owner may have stored and running for another to start, after this node's unstored
     * ones; 0 for no limit.
     *
     * @throws org.springframework.web.ErrorResponseException 429 when the unstored ones use up the limit
     */
    private int storedRunningLimit(UUID owner) {
        int allowed = quotas.current().runningAnswersPerUser();
        if (allowed == 0) {
            return 0;
        }
        int left = allowed - unstored.getOrDefault(owner, 0);
        if (left <= 0) {
            throw quotas.tooManyRunningAnswers();
        }
        return left;
    }

    /** The owner's answers running now: those stored, on every node, and this node's unstored ones. */
    private int running(UUID owner) {
        return messages.runningAnswers(owner) + unstored.getOrDefault(owner, 0);
    }

    /** Runs {@code start} while no other turn of the owner's starts on this node. */
    private <T> T oneAtATime(UUID owner, Supplier<T> start) {
        ReentrantLock lock = starting[Math.floorMod(owner.hashCode(), starting.length)];
        lock.lock();
        try {
            return start.get();
        } finally {
            lock.unlock();
        }
    }

    private Turn launch(AnswerGeneration.Plan plan, Message question) {
        Message answer = plan.answer();
        LiveAnswer live = new LiveAnswer(answer.id(), plan.owner(), answer.chatId(), plan.stored());
        hub.add(live); // a stateless answer too, so that a shutdown stops it; checkpoints pass it by
        UUID owner = plan.owner();
        Thread.ofVirtual().name("answer-" + answer.id()).start(() -> {
            try {
                generation.run(plan, live);
            } finally {
                if (!plan.stored()) {
                    unstored.computeIfPresent(owner, (k, n) -> n == 1 ? null : n - 1);
                }
            }
        });
        return new Turn(question, answer, live);
    }
}
