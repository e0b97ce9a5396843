package dev.nosso.generation;

import dev.nosso.chat.Attachment;
import dev.nosso.chat.Message;
import dev.nosso.chat.MessageRole;
import dev.nosso.chat.Messages;
import dev.nosso.chat.Source;
import dev.nosso.knowledge.MessageFiles;
import dev.nosso.platform.Tokens;
import dev.nosso.provider.PromptMessage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * What a model is sent for a turn: the system prompt, then as much of the branch above the answer as fits
 * the model's context, newest first, with room left for the answer itself. Tokens are counted with
 * {@code cl100k_base} for every model: not exact for each one, but close enough to budget with.
 */
@Component
class PromptBuilder {

    // What a chat format adds around each message (role markers, separators), as OpenAI documents it.
    private static final int PER_MESSAGE = 4;
    // What a chat format adds before the answer itself.
    private static final int ANSWER_PRIMER = 3;
    /** How many messages of a branch are read at a time. */
    static final int WINDOW = 100;
    // What an image costs in a model's context, whatever its size: OpenAI counts 765 tokens for a 1024 × 1024
    // image in detail, and other vision models are of the same order. Close enough to budget with.
    static final int IMAGE_TOKENS = 800;
    static final String UNSEEN_IMAGES = "[%d image(s) attached here are not shown: this model does not read images.]";

    private final Messages messages;
    private final MessageFiles files;

    PromptBuilder(Messages messages, MessageFiles files) {
        this.messages = messages;
        this.files = files;
    }

    /**
     * @param question      the message the answer answers: the newest message sent
     * @param known         the branch ending at {@code question}, oldest first, as far as it was read already;
     *                      empty to read it all here
     * @param contextTokens the model's context length
     * @param answerTokens  tokens to keep free for the answer
     * @param sources       passages to ground the answer on, best first; those that fit in a third of the
     *                      budget go, numbered as the model is asked to cite them
     */
    Prompt build(UUID owner, UUID chatId, UUID question, List<Message> known, String systemPrompt, int contextTokens,
                 int answerTokens, List<Source> sources) {
        return build(owner, chatId, question, known, systemPrompt, contextTokens, answerTokens, sources, false);
    }

    /**
     * @param blind whether the model is known not to read images: the images of earlier questions are then
     *              left out with a note saying so (a question of this turn with images was refused before)
     */
    Prompt build(UUID owner, UUID chatId, UUID question, List<Message> known, String systemPrompt, int contextTokens,
                 int answerTokens, List<Source> sources, boolean blind) {
        int budget = contextTokens - Math.min(answerTokens, contextTokens / 2);
        int used = 0;
        if (systemPrompt != null && !systemPrompt.isBlank()) {
            used += Tokens.count(systemPrompt) + PER_MESSAGE;
        }
        SourceBlock block = sourceBlock(sources, budget / 3);
        String grounding = block.sources().isEmpty() ? null : block.text();
        List<Source> sent = block.sources();
        used += block.tokens();
        List<PromptMessage> newestFirst = new ArrayList<>();
        UUID next = question;
        boolean full = false;
        List<Message> window = known;
        while (next != null && !full) {
            if (window.isEmpty()) {
                window = messages.branchEndingAt(owner, chatId, next, WINDOW);
            }
            for (int i = window.size() - 1; i >= 0; i--) {
                Message m = window.get(i);
                long images = m.attachments().stream().filter(Attachment::image).count();
                if (m.content().isEmpty() && images == 0) {
                    continue; // an answer that never produced text says nothing to the model
                }
                String text = blind && images > 0 ? (m.content() + "\n\n" + UNSEEN_IMAGES.formatted(images)).strip()
                        : m.content();
                int cost = Tokens.count(text) + PER_MESSAGE + (blind ? 0 : (int) images * IMAGE_TOKENS);
                if (used + cost > budget && !newestFirst.isEmpty()) {
                    full = true;
                    break;
                }
                used += cost; // the question always goes, even alone over budget: the provider says so then
                newestFirst.add(new PromptMessage(m.role().wire(), text, blind ? List.of() : images(owner, m)));
            }
            next = window.isEmpty() ? null : window.getFirst().parentId();
            window = List.of();
        }
        List<PromptMessage> prompt = new ArrayList<>(newestFirst.size() + 1);
        if (systemPrompt != null && !systemPrompt.isBlank()) {
            prompt.add(new PromptMessage(MessageRole.SYSTEM.wire(), systemPrompt));
        }
        if (grounding != null) {
            prompt.add(new PromptMessage(MessageRole.SYSTEM.wire(), grounding));
        }
        Collections.reverse(newestFirst);
        prompt.addAll(newestFirst);
        return new Prompt(prompt, used, List.copyOf(sent));
    }

    /**
     * A prompt a client gave whole (the OpenAI-compatible API): its messages as they are, after the sources
     * that fit in {@code maxSourceTokens} when there are any. Its tokens are counted as OpenAI counts a chat.
     */
    Prompt given(List<PromptMessage> given, List<Source> sources, int maxSourceTokens) {
        SourceBlock block = sourceBlock(sources, maxSourceTokens);
        List<PromptMessage> prompt = new ArrayList<>(given.size() + 1);
        if (!block.sources().isEmpty()) {
            prompt.add(new PromptMessage(MessageRole.SYSTEM.wire(), block.text()));
        }
        prompt.addAll(given);
        int tokens = ANSWER_PRIMER;
        for (PromptMessage m : prompt) {
            tokens += PER_MESSAGE + Tokens.count(m.content()) + m.images().size() * IMAGE_TOKENS;
        }
        return new Prompt(List.copyOf(prompt), tokens, block.sources());
    }

    /**
     * The images sent with a message, read from the file store. One deleted since (or whose bytes are gone) is
     * named instead, so the model is told that something was there.
     */
    private List<PromptMessage.Image> images(UUID owner, Message m) {
        List<PromptMessage.Image> images = new ArrayList<>();
        for (Attachment a : m.attachments()) {
            if (a.image()) {
                files.image(owner, a.id()).ifPresent(image -> images.add(new PromptMessage.Image(image.mediaType(),
                        Base64.getEncoder().encodeToString(image.bytes()))));
            }
        }
        return images;
    }

    /** The sources as one system message: those that fit in {@code maxTokens}, best first, numbered as sent. */
    SourceBlock sourceBlock(List<Source> sources, int maxTokens) {
        List<Source> sent = new ArrayList<>();
        StringBuilder block = new StringBuilder(SOURCES_INSTRUCTION);
        int cost = Tokens.count(SOURCES_INSTRUCTION) + PER_MESSAGE;
        for (Source s : sources) {
            String entry = "\n\n[" + (sent.size() + 1) + "] " + s.sourceName()
                    + (s.headingPath() == null || s.headingPath().isBlank() ? "" : " > " + s.headingPath())
                    + "\n" + s.text();
            int entryCost = Tokens.count(entry);
            if (cost + entryCost > maxTokens) {
                break;
            }
            cost += entryCost;
            block.append(entry);
            sent.add(new Source(sent.size() + 1, s.chunkId(), s.sourceKind(), s.sourceId(), s.sourceName(),
                    s.chatId(), s.headingPath(), s.text(), s.score()));
        }
        return sent.isEmpty() ? new SourceBlock("", 0, List.of()) : new SourceBlock(block.toString(), cost, List.copyOf(sent));
    }

    record SourceBlock(String text, int tokens, List<Source> sources) {
    }

    static final String SOURCES_INSTRUCTION = "Answer with the help of the numbered sources below when they are "
            + "relevant, and cite each one you use as [n] right after what it supports. If they do not hold the "
            + "answer, say so rather than guess.";

    /**
     * The messages to send, oldest first, their token count, and the sources among them, numbered as sent.
     */
    record Prompt(List<PromptMessage> messages, int tokens, List<Source> sources) {
    }
}
