package dev.nosso.chat;

import dev.nosso.memory.MessageMemory;
import dev.nosso.platform.Ids;
import dev.nosso.platform.Limits;
import dev.nosso.platform.NotFound;
import dev.nosso.platform.OwnerCaches;
import dev.nosso.platform.Problems;
import dev.nosso.platform.Reads;
import dev.nosso.platform.Texts;
import dev.nosso.platform.Writes;
import dev.nosso.platform.jobs.Jobs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The message tree of a user's chats: append, read the active branch a window at a time, switch branches,
 * edit and delete. A new message becomes the chat's active leaf; a parent that already has children gets
 * a sibling branch.
 */
@Service
public class Messages {

    private final MessageRepository messages;
    private final MessageMemory memory;
    private final Writes writes;
    private final Limits limits;
    private final Clock clock;
    private final OwnerCaches caches;
    private final Reads reads;
    private final Jobs jobs;

    Messages(MessageRepository messages, MessageMemory memory, Writes writes, Limits limits,
             Clock clock, OwnerCaches caches, Reads reads, Jobs jobs) {
        this.jobs = jobs;
        this.reads = reads;
        this.caches = caches;
        this.messages = messages;
        this.memory = memory;
        this.writes = writes;
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * Appends a message under {@code parentId}, or under the active leaf when {@code parentId} is null and
     * {@code asRoot} is false, or as a new root when {@code asRoot} is true (editing the first message).
     */
    public Message append(UUID owner, UUID chatId, NewMessage m) {
        checkContent(m.role(), m.content());
        return writes.run(() -> insert(owner, chatId, m));
    }

    /**
     * Starts a turn: the user's message and an empty, {@code pending} answer under it are committed together,
     * so that a crash can never keep a question without the answer that records what became of it.
     *
     * @param rememberModel whether the chat takes {@code model} as the one its next turn uses by default
     * @param runningLimit  the most answers the owner may have running (stored ones, on any node) for this turn
     *                      to start; 0 for no limit
     * @param window        how many messages of the branch above the question to read along, where that costs
     *                      no round trip of its own (see {@link Exchange#branch()})
     * @return the question and its answer, or empty when the owner already has {@code runningLimit} answers
     *         running (nothing is stored then)
     */
    public Optional<Exchange> startTurn(UUID owner, UUID chatId, NewMessage question, String model,
                                        boolean rememberModel, int runningLimit, int window) {
        checkContent(question.role(), question.content());
        // A question with files takes the general path: the one statement has no column for them.
        if (writes.oneStatementCommits() && question.parentId() == null && !question.asRoot() && !rememberModel
                && question.attachments().isEmpty()) {
            return startTurnInOneStatement(owner, chatId, question, model, runningLimit, window);
        }
        return writes.run(() -> {
            if (runningLimit > 0 && messages.countRunning(owner) >= runningLimit) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            Message asked = placed(owner, chatId, question, now);
            Message answer = pendingAnswer(asked, model, now);
            messages.insert(List.of(asked, answer));
            messages.advanceChat(owner, chatId, answer.id(), 2, rememberModel ? model : null, now);
            if (rememberModel) {
                caches.changed(owner); // the chat's settings in memory name the model it had
            }
            // The question is remembered when its answer ends (finish): indexing it now would compete with
            // the answer's first token for the processor, and cost the turn two more statements.
            return Optional.of(new Exchange(asked, answer));
        });
    }

    /**
     * How many of the owner's answers are being generated now, on any node: {@code pending} or
     * {@code streaming}. Joins the caller's transaction, so a count made before a write sees the writes before it.
     */
    public int runningAnswers(UUID owner) {
        return messages.countRunning(owner);
    }

    /**
     * The common turn on PostgreSQL (under the shown leaf, the chat's model unchanged) in one round trip instead
     * of four or more: the statement commits on its own, counts the running answers and reads the branch above
     * the question. Its depths are known once it has run, from the leaf it found.
     */
    private Optional<Exchange> startTurnInOneStatement(UUID owner, UUID chatId, NewMessage question, String model,
                                                       int runningLimit, int window) {
        Instant now = clock.instant();
        Message asked = new Message(Ids.next(), chatId, null, 0, question.role(), question.content(), question.model(),
                question.status() == null ? MessageStatus.COMPLETE : question.status(), null, null, List.of(), now, now);
        Message answer = pendingAnswer(asked, model, now);
        MessageRepository.StartedTurn started = messages.startTurn(owner, asked, answer, runningLimit, window)
                .orElseThrow(() -> new NotFound("chat"));
        if (!started.admitted()) {
            return Optional.empty();
        }
        MessageRepository.Head head = started.head();
        asked = new Message(asked.id(), chatId, head.leafId(), head.leafDepth() + 1, asked.role(), asked.content(),
                asked.model(), asked.status(), null, null, List.of(), now, now);
        List<Message> branch = new ArrayList<>(started.branch().size() + 1);
        branch.addAll(started.branch());
        branch.add(asked);
        return Optional.of(new Exchange(asked, pendingAnswer(asked, answer.id(), model, now), branch));
    }

    /** A new, {@code pending} answer under {@code parentId} (another answer to the same question). */
    public Message startAnswer(UUID owner, UUID parentId, String model) {
        return writes.run(() -> {
            Message parent = messages.find(owner, parentId).orElseThrow(() -> new NotFound("message"));
            Instant now = clock.instant();
            Message answer = pendingAnswer(parent, model, now);
            messages.insert(List.of(answer));
            messages.advanceChat(owner, parent.chatId(), answer.id(), 1, null, now);
            return answer;
        });
    }

    /**
     * Writes the text of answers still being generated; an answer that has ended meanwhile is left alone.
     *
     * @return the ids of the answers that were not written, because they ended or were deleted
     */
    public List<UUID> checkpoint(Collection<Checkpoint> checkpoints) {
        if (checkpoints.isEmpty()) {
            return List.of();
        }
        return writes.run(() -> messages.checkpoint(checkpoints, clock.instant()));
    }

    /** Saves the passages an answer is grounded on, before it streams, so its citations survive a crash. */
    public void ground(UUID messageId, List<Source> sources) {
        writes.run(() -> {
            messages.setSources(messageId, Message.sourcesToJson(sources));
            return null;
        });
    }

    /**
     * Ends an answer: its final text, status, the reason when it failed, and what it cost.
     *
     * @param rememberQuestion whether the question above it is remembered now: it was sent with this answer
     *                         ({@link #startTurn}), which leaves that to the end of the answer
     */
    public Message finish(UUID owner, Message answer, String content, MessageStatus status, String error,
                          Usage usage, boolean rememberQuestion) {
        return writes.run(() -> {
            Instant now = clock.instant();
            boolean stillThere = messages.finish(answer.id(), content, status, error, usage, now);
            if (rememberQuestion) {
                memory.remember(owner, answer.parentId()); // even with its answer deleted meanwhile
            }
            if (stillThere && worthRemembering(status, content)) {
                // A cancelled or interrupted answer is remembered too: its text is what the user saw.
                memory.remember(owner, answer.id());
            }
            return new Message(answer.id(), answer.chatId(), answer.parentId(), answer.depth(), answer.role(),
                    content, answer.model(), status, error, usage, answer.sources(), answer.createdAt(), now);
        });
    }

    /**
     * Marks every answer still {@code pending} or {@code streaming} as {@code interrupted}, keeping its text.
     * Called once at start-up, when no answer can be running yet: any such answer was left by a process
     * that died.
     */
    @Transactional
    public int interruptUnfinished(String reason) {
        return remembered(messages.interruptUnfinished(reason, clock.instant()));
    }

    /**
     * Marks {@code interrupted}, keeping its text, every answer still {@code pending} or {@code streaming} whose
     * node is gone or has been silent for longer than {@code lease} (PostgreSQL, where nodes share the database).
     */
    @Transactional
    public int interruptOrphaned(String reason, Duration lease) {
        return remembered(messages.interruptOrphaned(reason, lease, clock.instant()));
    }

    /**
     * Remembers answers just interrupted, as {@link #finish} would have: their text if any, and their question,
     * which a turn leaves to the end of its answer.
     */
    private int remembered(List<MessageRepository.Interrupted> interrupted) {
        for (MessageRepository.Interrupted answer : interrupted) {
            if (answer.questionId() != null) {
                memory.remember(answer.owner(), answer.questionId());
            }
            if (answer.hasText()) {
                memory.remember(answer.owner(), answer.answerId());
            }
        }
        return interrupted.size();
    }

    /**
     * Up to {@code limit} messages of the branch that ends at {@code messageId}, oldest first: one statement,
     * read as {@link Reads} reads, since a turn builds its prompt from it before calling the model.
     */
    public List<Message> branchEndingAt(UUID owner, UUID chatId, UUID messageId, int limit) {
        return reads.run(() -> messages.branchWindow(owner, chatId, messageId, limit));
    }

    // Runs inside a (possibly shared) write transaction: every refusal comes before the first write, as
    // Writes asks, so a bad request fails alone.
    private Message insert(UUID owner, UUID chatId, NewMessage m) {
        Instant now = clock.instant();
        Message message = placed(owner, chatId, m, now);
        messages.insert(List.of(message));
        messages.advanceChat(owner, chatId, message.id(), 1, null, now);
        if (worthRemembering(message.status(), message.content())) {
            memory.remember(owner, message.id());
        }
        return message;
    }

    /** The new message where it goes in the tree (its parent and depth), not yet written; 404 for a chat not theirs. */
    private Message placed(UUID owner, UUID chatId, NewMessage m, Instant now) {
        MessageRepository.Head head = messages.head(owner, chatId).orElseThrow(() -> new NotFound("chat"));
        UUID parentId;
        int depth;
        if (m.asRoot()) {
            parentId = null;
            depth = 0;
        } else if (m.parentId() == null || m.parentId().equals(head.leafId())) {
            parentId = head.leafId(); // the common case: continue the shown branch, depth already known
            depth = parentId == null ? 0 : head.leafDepth() + 1;
        } else {
            parentId = m.parentId();
            depth = messages.depthInChat(chatId, parentId).orElseThrow(() -> Problems.exception(
                    HttpStatus.BAD_REQUEST, "parent-not-in-chat", "parentId is not a message of this chat.")) + 1;
        }
        return new Message(Ids.next(), chatId, parentId, depth, m.role(), m.content(), m.model(),
                m.status() == null ? MessageStatus.COMPLETE : m.status(), null, null, List.of(), now, now,
                m.attachments());
    }

    /** Whether a message is worth a memory job: final, with some text. */
    private static boolean worthRemembering(MessageStatus status, String content) {
        return !status.unfinished() && content != null && !content.isBlank();
    }

    private static Message pendingAnswer(Message parent, String model, Instant now) {
        return pendingAnswer(parent, Ids.next(), model, now);
    }

    private static Message pendingAnswer(Message parent, UUID id, String model, Instant now) {
        return new Message(id, parent.chatId(), parent.id(), parent.depth() + 1, MessageRole.ASSISTANT, "",
                model, MessageStatus.PENDING, null, null, List.of(), now, now);
    }

    @Transactional(readOnly = true)
    public Message find(UUID owner, UUID messageId) {
        return messages.find(owner, messageId).orElseThrow(() -> new NotFound("message"));
    }

    /**
     * The newest {@code limit} messages of the active branch, or the {@code limit} before {@code cursor}
     * (a message id handed out as {@code nextCursor}).
     */
    @Transactional(readOnly = true)
    public BranchWindow activeBranch(UUID owner, UUID chatId, UUID cursor, int limit) {
        UUID leaf = leafOf(owner, chatId);
        UUID start;
        if (cursor == null) {
            start = leaf;
        } else {
            Message before = messages.find(owner, cursor).filter(m -> m.chatId().equals(chatId))
                    .orElseThrow(() -> Problems.exception(HttpStatus.BAD_REQUEST, "invalid-cursor",
                            "cursor is not a message of this chat."));
            start = before.parentId();
        }
        return window(owner, chatId, leaf, start, limit);
    }

    /**
     * The {@code limit} messages of the branch ending at {@code start}, with their siblings, in the chat whose
     * active leaf is {@code leaf}: two statements, or three when the window reaches the root.
     */
    BranchWindow window(UUID owner, UUID chatId, UUID leaf, UUID start, int limit) {
        if (start == null) {
            return new BranchWindow(leaf, List.of(), null);
        }
        List<Message> window = messages.branchWindow(owner, chatId, start, limit);
        Set<UUID> parents = new HashSet<>();
        boolean hasRoot = false;
        for (Message m : window) {
            if (m.parentId() == null) {
                hasRoot = true;
            } else {
                parents.add(m.parentId());
            }
        }
        Map<UUID, List<UUID>> children = messages.children(owner, chatId, parents, hasRoot);
        List<BranchWindow.BranchMessage> items = window.stream()
                .map(m -> new BranchWindow.BranchMessage(m, children.getOrDefault(m.parentId(), List.of(m.id()))))
                .toList();
        Message oldest = window.getFirst();
        String next = oldest.parentId() == null ? null : oldest.id().toString();
        return new BranchWindow(leaf, items, next);
    }

    /**
     * Up to {@code limit} messages of every branch, parents before children, after {@code cursor} (a
     * {@code nextCursor} handed out before: the depth and id of the last message of the page before), and the
     * leaf being shown. A page costs its size, read along the index of (chat, depth, id), at any chat size.
     */
    @Transactional(readOnly = true)
    public ChatTree tree(UUID owner, UUID chatId, String cursor, int limit) {
        UUID leaf = leafOf(owner, chatId);
        int afterDepth = -1;
        UUID afterId = new UUID(0, 0);
        if (cursor != null && !cursor.isBlank()) {
            int dot = cursor.indexOf('.');
            try {
                afterDepth = Integer.parseInt(cursor.substring(0, Math.max(dot, 0)));
                afterId = UUID.fromString(cursor.substring(dot + 1));
            } catch (IllegalArgumentException e) {
                throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-cursor",
                        "cursor is not one this server handed out.");
            }
        }
        List<Message> page = messages.tree(owner, chatId, afterDepth, afterId, limit + 1);
        boolean more = page.size() > limit;
        List<Message> items = more ? page.subList(0, limit) : page;
        String next = more ? items.getLast().depth() + "." + items.getLast().id() : null;
        return new ChatTree(leaf, List.copyOf(items), next);
    }

    /** Shows the branch through {@code messageId}, down to its newest leaf; returns that leaf. */
    @Transactional
    public UUID switchTo(UUID owner, UUID chatId, UUID messageId) {
        leafOf(owner, chatId);
        UUID leaf = messages.newestLeafUnder(chatId, messageId).orElseThrow(() -> Problems.exception(
                HttpStatus.BAD_REQUEST, "message-not-in-chat", "messageId is not a message of this chat."));
        messages.setActiveLeaf(owner, chatId, leaf);
        return leaf;
    }

    @Transactional
    public Message edit(UUID owner, UUID messageId, String content) {
        Message existing = messages.find(owner, messageId).orElseThrow(() -> new NotFound("message"));
        checkContent(existing.role(), content);
        Instant now = clock.instant();
        messages.edit(owner, messageId, content, now);
        memory.remember(owner, messageId); // the job re-indexes the new text, or forgets a blank one
        return messages.find(owner, messageId).orElseThrow();
    }

    /**
     * Deletes a message and everything below it. If the shown branch ran through it, the view moves to the
     * newest remaining leaf under its parent (or in the chat, for a root).
     *
     * <p>One short write hides the whole subtree from every read (the tree, the branch windows, search and
     * memory's passages), moves the shown branch off it and queues {@link SweepDeleted}, which then deletes the
     * rows in bounded batches, children before parents, so that SQLite's one writer is never held for long and
     * no read ever shows part of the subtree. The job is queued in the same transaction: a restart finishes it.
     */
    public void delete(UUID owner, UUID messageId) {
        Message target = reads.run(() -> messages.find(owner, messageId)).orElseThrow(() -> new NotFound("message"));
        UUID chatId = target.chatId();
        writes.run(() -> {
            int hidden = messages.hideSubtree(chatId, target.id());
            if (hidden == 0) {
                return null; // hidden meanwhile by another delete
            }
            UUID leaf = leafOf(owner, chatId);
            if (leaf != null && messages.hidden(leaf)) {
                messages.setActiveLeaf(owner, chatId, messages.newestLeafOutside(chatId, target.parentId(), target.id())
                        .orElse(target.parentId()));
            }
            messages.afterDelete(owner, chatId, hidden, clock.instant());
            jobs.enqueueUnlessQueued(owner, SweepDeleted.KIND, "{}");
            return null;
        });
    }

    /** The chat's active leaf (null while it is empty); 404 when the chat is not the owner's. */
    private UUID leafOf(UUID owner, UUID chatId) {
        return messages.head(owner, chatId).orElseThrow(() -> new NotFound("chat")).leafId();
    }

    private void checkContent(MessageRole role, String content) {
        Texts.storable("content", content);
        if (content == null) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "validation", "content is required.");
        }
        if (content.length() > limits.maxMessageChars()) {
            throw Problems.exception(HttpStatus.CONTENT_TOO_LARGE, "message-too-large",
                    "content has " + content.length() + " characters; the limit is " + limits.maxMessageChars() + ".");
        }
        if (role == MessageRole.USER && content.isBlank()) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "validation", "content of a user message must not be blank.");
        }
    }
}
